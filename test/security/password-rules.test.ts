// Issue #15 item 14: common passwords were accepted (`password`, `12345678`, `qwertyui`), and lone
// surrogates collapsed to U+FFFD before hashing, so "\ud800"×8 and "\udfff"×8 were one password.
// A new password is checked against the common and breached list (ASVS 6.2.4) and every string of
// a body must be well-formed Unicode; refused registrations write nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { NewPassword } from '../../shared/schemas/auth.js';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });

/** The database but for rate-limit counters (a refused attempt counts against its limit: that is the point of one). */
const dumpWithoutCounters = async () => (await databaseDump(reckon.projectId)).split('\n').filter((l) => !l.startsWith('rateLimits/')).join('\n');

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

  it('refuses a common password as the new one at a password change, which keeps the old password', async () => {
    const ada = await registeredClient(reckon);
    for (const newPassword of ['password', '12345678', 'qwertyui']) {
      const before = await dumpWithoutCounters();
      const res = await ada.client.post('/api/auth/password', { currentPassword: ada.account.password, newPassword });
      expect(res.status).toBe(400);
      expect(res.json.error.issues).toEqual([{ path: 'body.newPassword', message: expect.stringMatching(/most common/) }]);
      expect(await dumpWithoutCounters()).toBe(before);
      expect((await new ApiClient(reckon).post('/api/auth/login', { email: ada.account.email, password: newPassword })).status).toBe(401);
    }
    expect((await new ApiClient(reckon).post('/api/auth/login', { email: ada.account.email, password: ada.account.password })).status).toBe(200);
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

  it('refuses a body with bytes that are not UTF-8, so "\\xff"×8 and "\\xc0"×8 can never be one password', async () => {
    const email = newAccount().email;
    const raw = (bytes: number, rest: string) => Buffer.concat([Buffer.from(`{"email":"${email}","password":"`), Buffer.alloc(8, bytes), Buffer.from(`"${rest}}`)]);
    const before = await dumpWithoutCounters();
    const res = await new ApiClient(reckon).post('/api/auth/register', undefined, { rawBody: raw(0xff, ',"displayName":"Bytes"') });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_json');
    expect(await dumpWithoutCounters()).toBe(before);
    expect((await new ApiClient(reckon).post('/api/auth/login', undefined, { rawBody: raw(0xc0, '') })).status).toBe(400);
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
