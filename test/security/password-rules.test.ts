// Issue #15 item 14: common passwords were accepted (`password`, `12345678`, `qwertyui`), and lone
// surrogates collapsed to U+FFFD before hashing, so "\ud800"×8 and "\udfff"×8 were one password.
// A new password is checked against the common and breached list (ASVS 6.2.4) and every string of
// a body must be well-formed Unicode; refused registrations write nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { NewPassword } from '../../shared/schemas/auth.js';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });

async function refusedRegistration(overrides: Parameters<typeof newAccount>[0]) {
  const before = await databaseDump(reckon.projectId);
  const res = await new ApiClient(reckon).post('/api/auth/register', newAccount(overrides));
  expect(await databaseDump(reckon.projectId)).toBe(before);
  return res;
}

describe('issue #15 item 14: common and breached passwords are refused', () => {
  it.each(['password', '12345678', 'qwertyui', 'Password', 'PASSWORD1', 'iloveyou', 'sunshine', 'football'])('refuses %s with a clear issue', async (password) => {
    const res = await refusedRegistration({ password });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.issues).toEqual([{ path: 'body.password', message: expect.stringMatching(/most common/) }]);
  });

  it.each([['with a trailing space', 'password '], ['with a leading space', ' sunshine'], ['in full-width letters', 'ｐａｓｓｗｏｒｄ'], ['with a soft hyphen inside', 'foot\u00adball'], ['with a zero-width space inside', 'ilove\u200byou']])(
    'refuses a common password %s (it looks, and is typed, the same)', async (_how, password) => {
      const res = await refusedRegistration({ password });
      expect(res.status).toBe(400);
      expect(res.json.error.issues).toEqual([{ path: 'body.password', message: expect.stringMatching(/most common/) }]);
    });

  it('accepts a password that is not on the list', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount({ password: 'plover tangerine 47' }));
    expect(res.status).toBe(201);
  });

  it('a burst of registrations with common passwords all fail and write nothing', async () => {
    const before = await databaseDump(reckon.projectId);
    const all = await Promise.all(['password', '12345678', 'qwertyui', 'letmein1', 'baseball'].map((password) => new ApiClient(reckon).post('/api/auth/register', newAccount({ password }))));
    expect(all.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('exports the same rule for other routes that set a password (the password change)', async () => {
    expect((await NewPassword.safeParseAsync('qwertyui')).success).toBe(false);
    expect((await NewPassword.safeParseAsync('short')).success).toBe(false);
    expect((await NewPassword.safeParseAsync('\ud800'.repeat(8))).success).toBe(false);
    expect((await NewPassword.safeParseAsync('plover tangerine 47')).success).toBe(true);
  });
});

describe('issue #15 item 14: strings that are not well-formed Unicode are refused', () => {
  it.each([['high surrogates', '\ud800'.repeat(8)], ['low surrogates', '\udfff'.repeat(8)], ['one lone surrogate among text', `correct horse ${'\ud83d'}battery`]])('refuses a password of %s', async (_name, password) => {
    const res = await refusedRegistration({ password });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.issues).toEqual([{ path: 'body.password', message: expect.stringMatching(/unpaired surrogate/) }]);
  });

  it('so "\\ud800"×8 and "\\udfff"×8 can never be one account\'s password', async () => {
    const account = newAccount({ password: '\ud800'.repeat(8) });
    expect((await new ApiClient(reckon).post('/api/auth/register', account)).status).toBe(400);
    const login = await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: '\udfff'.repeat(8) });
    expect(login.status).toBe(400);
  });

  it('refuses a lone surrogate in any other string of a body, and in a key', async () => {
    const name = await refusedRegistration({ displayName: 'Eve\udc00' });
    expect(name.json.error.issues).toEqual([{ path: 'body.displayName', message: expect.stringMatching(/unpaired surrogate/) }]);
    const res = await new ApiClient(reckon).post('/api/auth/login', undefined, { rawBody: '{"email":"a@example.com","password":"x","\\udc00":1}' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
  });

  it('accepts paired surrogates: 8 emoji are 8 characters of text', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount({ password: '🦊🐢🦉🐙🦔🐝🦋🐳' }));
    expect(res.status).toBe(201);
  });
});
