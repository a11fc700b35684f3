// Issue #15 item 3: malformed JSON got functions-framework's HTML 400 without Reckon's headers or
// envelope, and Express wrote the error, with the raw body and its password, to the log. Now the
// router answers `invalid_json` with every security header and no log line carries the body.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SECURITY_HEADERS } from '../../shared/http/headers.js';
import { ApiClient, startReckon, type Reckon } from '../support/reckon.js';

let reckon: Reckon;
let output = '';
const streams = [process.stdout, process.stderr] as const;
const writes = streams.map((s) => s.write.bind(s));

beforeAll(async () => {
  // Express logs errors unless NODE_ENV is 'test' (vitest's), as in production; the framework
  // reads it when it builds each function's server.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try { reckon = await startReckon({ RECKON_LOG_LEVEL: 'debug' }); } finally { process.env.NODE_ENV = nodeEnv; }
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output += String(chunk);
      return (writes[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
});
afterAll(async () => { streams.forEach((s, i) => { s.write = writes[i]!; }); await reckon.close(); });

const SECRET = 'hunter2-SECRET-pass';

describe('issue #15 item 3: malformed JSON answers the invalid_json envelope and logs nothing of the body', () => {
  it.each([
    ['a truncated login', '/api/auth/login', `{"email":"someone@example.com","password":"${SECRET}"`],
    ['a stray quote', '/api/auth/register', `{"email":"a@example.com","password":"${SECRET}","displayName":"A"'}`],
    ['single quotes', '/api/auth/login', `{'email':'a@example.com','password':'${SECRET}'}`],
    ['bytes that are not UTF-8 text', '/api/auth/login', Buffer.concat([Buffer.from(`{"password":"${SECRET}`), Buffer.from([0xff, 0xfe])])],
  ])('%s', async (_name, path, raw) => {
    output = '';
    const res = await new ApiClient(reckon).request('POST', path, { rawBody: raw });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.error).toMatchObject({ code: 'invalid_json', requestId: res.headers['x-request-id'] });
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name.toLowerCase()]).toBe(value);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(output).toContain(String(res.headers['x-request-id'])); // the request was logged…
    expect(output).not.toContain(SECRET); // …and nothing of its body
    expect(output).not.toContain('someone@example.com');
  });

  it('answers a body of the wrong JSON type (null, a string) with the envelope too', async () => {
    for (const raw of ['null', `"${SECRET}"`]) {
      const res = await new ApiClient(reckon).request('POST', '/api/auth/login', { rawBody: raw });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('invalid_request');
    }
    expect(output).not.toContain(SECRET);
  });
});
