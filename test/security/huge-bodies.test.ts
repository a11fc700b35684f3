// Issue #15 item 2: huge bodies were parsed before the 64 KiB limit. functions-framework parsed
// JSON up to 1 GB, so a 28 MB `[[[[…]]]]` stalled the instance for seconds and took a gigabyte of
// memory before Reckon refused it. Over 64 KiB is now refused unread, and nobody else waits.
// (The gateway runs in this process, so its event loop and heap are this test's.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ApiClient, startReckon, type Reckon } from '../support/reckon.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });

const DEPTH = 14_000_000;
const nested = () => Buffer.from(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`); // 28 MB of valid JSON

/** POSTs a body, declared by Content-Length or streamed chunked without one. */
function post(url: string, body: Buffer, framing: 'declared' | 'chunked'): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  const headers: Record<string, string> = { origin: url, 'content-type': 'application/json' };
  if (framing === 'declared') headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/auth/login`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', (e) => (e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e));
    if (framing === 'chunked') for (let i = 0; i < body.length; i += 1 << 20) req.write(body.subarray(i, i + (1 << 20)));
    else req.write(body);
    req.end();
  });
}

describe('issue #15 item 2: a body over 64 KiB is refused without being parsed', () => {
  it.each(['declared', 'chunked'] as const)('a 28 MB nested array (%s length) answers 413 while small requests go on, without a stall or a memory jump', async (framing) => {
    const body = nested();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const small = new ApiClient(reckon);
    const big = post(reckon.url, body, framing);
    // Small requests sent while the big one is under way are all answered, by Reckon's router.
    const smalls = await Promise.all(Array.from({ length: 5 }, () => small.get('/api/auth/me')));
    const bigRes = await big;
    loop.disable();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(bigRes.status).toBe(413);
    expect(JSON.parse(bigRes.text).error.code).toBe('body_too_large');
    expect(bigRes.headers['content-security-policy']).toBeDefined();
    expect(smalls.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    // Parsing it took the event loop for 12-15 s and the heap up by more than a gigabyte.
    expect(loop.max / 1e6).toBeLessThan(2_000);
    expect(heapGrowth).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it('a body just under the limit is still read and checked (a wrong password answers 401)', async () => {
    const password = 'x'.repeat(100);
    const padding = ' '.repeat(64 * 1024 - 200);
    const raw = `{"email":"nobody@example.com",${padding}"password":"${password}"}`;
    expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(64 * 1024);
    const res = await new ApiClient(reckon).post('/api/auth/login', undefined, { rawBody: raw });
    expect(res.status).toBe(401);
  });

  it('a body one byte over the limit answers 413, declared or streamed', async () => {
    const raw = Buffer.alloc(64 * 1024 + 1, 0x20);
    expect((await post(reckon.url, raw, 'declared')).status).toBe(413);
    expect((await post(reckon.url, raw, 'chunked')).status).toBe(413);
  });
});
