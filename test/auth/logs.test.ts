// One structured log line per request, with what operators need and nothing personal or secret.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';
import { captureLogLines, type LogCapture } from '../support/logs.js';

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
});
