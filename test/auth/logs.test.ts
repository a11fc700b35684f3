// One structured log line per request, with what operators need and nothing personal or secret.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';
import { captureLogLines, type LogCapture } from '../support/logs.js';
import { newFirestore } from '../support/firestore.js';

let reckon: Reckon;
let logs: LogCapture;

beforeAll(async () => {
  reckon = await startReckon({ RECKON_LOG_LEVEL: 'info' });
  logs = captureLogLines();
});
afterAll(async () => { logs.stop(); await reckon.close(); });

describe('request logs', () => {
  it('writes one JSON line per request with severity, function, route, status, latency and Firestore counts', async () => {
    const client = new ApiClient(reckon);
    const account = newAccount();
    const res = await client.post('/api/auth/register', account);
    const line = logs.requestLine(res.headers['x-request-id'])!;
    expect(line).toMatchObject({ severity: 'INFO', message: 'request', function: 'auth', route: 'POST /api/auth/register', method: 'POST', status: 201 });
    expect(line.latencyMs).toBeGreaterThan(0);
    expect(line.firestore.writes).toBeGreaterThanOrEqual(4);
    expect(line.firestore.reads).toBeGreaterThanOrEqual(1);
  });

  it('logs a refused sign-in as a warning without the email, password or any token', async () => {
    const client = new ApiClient(reckon);
    const account = newAccount({ email: 'private.person@example.com', password: 'my secret passphrase' });
    await client.post('/api/auth/register', account);
    const res = await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: 'wrong passphrase!' });
    const line = logs.lines.find((l) => l.includes(String(res.headers['x-request-id'])));
    expect(JSON.parse(line!)).toMatchObject({ severity: 'WARNING', status: 401 });
    const all = logs.lines.join('\n');
    expect(all).not.toContain('private.person');
    expect(all).not.toContain('passphrase');
    expect(all).not.toContain(client.cookie!.slice('__session='.length, 40));
  });

  it('a sign-in whose network cannot be recorded still signs in, and logs a warning with nothing personal', async () => {
    const client = new ApiClient(reckon);
    const account = newAccount({ email: 'remembered.nowhere@example.com' });
    const registered = await client.post('/api/auth/register', account);
    const uid: string = registered.json.user.uid;
    // Firestore refuses the known-network write for real: the user document is filled to its
    // 1 MiB limit, so one more network no longer fits (INVALID_ARGUMENT, not a failed precondition).
    // The fill is found by trying (emulators count sizes and cap one value each in their own
    // words): two fields, the second as long as the document still takes.
    const user = newFirestore({ projectId: reckon.projectId }).doc(`users/${uid}`);
    const fits = (n: number) => user.update({ padding: 'x'.repeat(600_000), padding2: 'x'.repeat(n) }).then(() => true, (e: { code?: number }) => {
      if (e.code === 3) return false; // INVALID_ARGUMENT: too large
      throw e;
    });
    let [low, high] = [0, 500_000]; // fits(low), not fits(high)
    while (high - low > 1) { const mid = Math.floor((low + high) / 2); if (await fits(mid)) low = mid; else high = mid; }
    expect(await fits(low)).toBe(true);
    const before = await user.get();
    const browser = new ApiClient(reckon, { address: '2001:db8:75:1::1' });
    const res = await browser.post('/api/auth/login', { email: account.email, password: account.password });
    expect(res.status).toBe(200);
    expect((await browser.get('/api/auth/me')).status).toBe(200);
    expect((await user.get()).updateTime!.isEqual(before.updateTime!)).toBe(true);
    const warning = logs.lines.map((l) => JSON.parse(l)).find((l) => l.requestId === res.headers['x-request-id'] && l.message !== 'request');
    expect(warning).toMatchObject({ severity: 'WARNING', message: 'known network not recorded' });
    expect(JSON.stringify(warning)).not.toMatch(new RegExp(`${uid}|remembered|2001:db8|users/`));
  });
});
