// Issue #15 item 5: every 4xx/5xx log line said "route":"unmatched", which hid which route was
// failing. A refused request's line names the route it matched; only a path no route has is
// "unmatched".
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';
import { captureLogLines, type LogCapture } from '../support/logs.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpFunction, defineRoute } from '../../shared/http/router.js';
import { RoomBusyError } from '../../shared/store/sessions.js';

let reckon: Reckon;
let logs: LogCapture;

beforeAll(async () => {
  reckon = await startReckon({ RECKON_LOG_LEVEL: 'info' });
  logs = captureLogLines();
});
afterAll(async () => { logs.stop(); await reckon.close(); });

const lineOf = (requestId: unknown) => logs.requestLine(requestId);

describe('issue #15 item 5: error log lines name the matched route', () => {
  it.each([
    ['401 for no session', 'GET', '/api/auth/me', undefined, 401, 'GET /api/auth/me'],
    ['400 for an invalid body', 'POST', '/api/auth/register', { email: 'not an email' }, 400, 'POST /api/auth/register'],
    ['401 for a wrong password', 'POST', '/api/auth/login', { email: 'nobody@example.com', password: 'wrong password' }, 401, 'POST /api/auth/login'],
    ['401 on a room poll without a session', 'GET', '/api/sessions/no-such-session/state', undefined, 401, 'GET /api/sessions/:id/state'],
  ])('%s', async (_name, method, path, body, status, route) => {
    const res = await new ApiClient(reckon).request(method, path, { body });
    expect(res.status).toBe(status);
    expect(lineOf(res.headers['x-request-id'])).toMatchObject({ severity: 'WARNING', route, status });
  });

  it('names the route of a request refused by its Origin', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount(), { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(lineOf(res.headers['x-request-id'])).toMatchObject({ route: 'POST /api/auth/register', status: 403 });
  });

  it('says "unmatched" only for a path no route has', async () => {
    const res = await new ApiClient(reckon).get('/api/auth/no-such-endpoint');
    expect(res.status).toBe(404);
    expect(lineOf(res.headers['x-request-id'])).toMatchObject({ route: 'unmatched', status: 404 });
  });
});

describe('issue #15 item 4: contention that outlasts the retries is logged as a warning', () => {
  let url: string;
  let server: http.Server;
  beforeAll(async () => {
    // The real router, with two routes that fail as a busy room and as a bug fail.
    const handler = createHttpFunction('probe', [
      defineRoute({ method: 'GET', path: '/api/probe/busy', permission: 'public', handler: () => { throw new RoomBusyError(); } }),
      defineRoute({ method: 'GET', path: '/api/probe/bug', permission: 'public', handler: () => { throw new TypeError('a bug'); } }),
      // Firestore's client rejects with the gRPC status as `code` (14: UNAVAILABLE).
      defineRoute({ method: 'GET', path: '/api/probe/outage', permission: 'public', handler: () => { throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }); } }),
    ]);
    server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await new Promise((resolve) => server.close(resolve)); });

  /** The probe's answer, and the log lines of its request as [severity, message] and as written. */
  async function probe(path: string) {
    const res = await fetch(`${url}${path}`);
    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === res.headers.get('x-request-id'));
    return { res, lines, said: lines.map((l) => [l.severity, l.message]) };
  }

  it('answers 503 and writes WARNING lines without a stack, never "unhandled error"', async () => {
    const { res, lines, said } = await probe('/api/probe/busy');
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('unavailable');
    expect(said).toEqual([['WARNING', 'store busy'], ['WARNING', 'request']]);
    expect(lines.some((l) => 'stack' in l)).toBe(false);
  });

  it('answers an outage 503 too, but logs it as an ERROR (someone should look), without a stack', async () => {
    const { res, lines, said } = await probe('/api/probe/outage');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(said).toEqual([['ERROR', 'store unavailable'], ['ERROR', 'request']]);
    expect(lines.some((l) => 'stack' in l)).toBe(false);
  });

  it('still logs a bug as an ERROR with its stack, and its request line as an ERROR', async () => {
    const { res, lines, said } = await probe('/api/probe/bug');
    expect(res.status).toBe(500);
    expect(said).toEqual([['ERROR', 'unhandled error'], ['ERROR', 'request']]);
    expect(String(lines[0]!.stack)).toContain('a bug');
  });
});
