// Issue #15 item 1: one request killed `npm start` (and the embedded emulator with its unsaved
// writes). Request targets that are not valid paths answer 400 and the server stays up; the dev
// server saves the emulator's data on every way out.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';

/** Sends bytes as they are (no client library would send these targets) and returns the status. */
function rawRequest(url: string, requestLine: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(`${requestLine}\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

const BAD_TARGETS = ['GET /% HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1', 'GET //[ HTTP/1.1', 'GET /assets/%ZZ.js HTTP/1.1', 'GET /api/%E0%A4%A HTTP/1.1'];

describe('issue #15 item 1: a malformed request target answers 400 and the gateway stays up', () => {
  let reckon: Reckon;
  beforeAll(async () => { reckon = await startReckon(); });
  afterAll(async () => { await reckon.close(); });

  it.each(BAD_TARGETS)('%s answers 400 with the error envelope', async (line) => {
    const res = await rawRequest(reckon.url, line);
    expect(res.status).toBe(400);
    expect(res.text).toContain('"code":"invalid_request"');
    expect(res.text).toMatch(/content-security-policy:/i);
  });

  // Node's parser refuses these before any handler runs; they answer as every refused request does.
  it.each([
    ['a control byte in the target', 'GET /api/\u0001x HTTP/1.1', 400, 'invalid_request'],
    ['a negative Content-Length', 'POST /api/auth/login HTTP/1.1\r\nContent-Length: -1', 400, 'invalid_request'],
    ['headers past 16 KiB', `GET /api/auth/me HTTP/1.1\r\nX-Pad: ${'a'.repeat(20_000)}`, 431, 'headers_too_large'],
  ])('%s answers with the error envelope and the security headers', async (_name, line, status, code) => {
    const res = await rawRequest(reckon.url, line as string);
    expect(res.status).toBe(status);
    expect(res.text).toContain(`"code":"${code}"`);
    expect(res.text).toMatch(/content-security-policy:/i);
    expect(res.text).toMatch(/x-content-type-options: nosniff/i);
  });

  it('answers the requests pipelined before a malformed one, then the malformed one', async () => {
    const { hostname, port } = new URL(reckon.url);
    const text = await new Promise<string>((resolve, reject) => {
      const good = `GET /api/auth/me HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`;
      const socket = net.connect(Number(port), hostname, () => socket.write(`${good}${good}GET /api/\u0001x HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    // The second status line follows the first body directly (no line break in between).
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    expect(statuses, text).toEqual([401, 401, 400]);
    expect(text).toContain('"code":"unauthenticated"');
    expect(text).toContain('"code":"invalid_request"');
  });

  it('keeps answering after a burst of malformed targets', async () => {
    await Promise.all(BAD_TARGETS.flatMap((line) => [rawRequest(reckon.url, line), rawRequest(reckon.url, line)]));
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount());
    expect(res.status).toBe(201);
  });
});

/** `npm start` as a child process on a port of its own, with its data in `dataDir`. */
async function startDevServer(dataDir: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await new Promise<number>((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), RECKON_DATA_DIR: dataDir, RECKON_LOG_LEVEL: 'warn' };
  delete env.FIRESTORE_EMULATOR_HOST;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Reckon is running')) { clearInterval(timer); resolve(); }
      if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`dev server exited: ${out}`)); }
    }, 50);
  });
  return { url: `http://localhost:${port}`, child, output: () => out };
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => { if (child.exitCode !== null) resolve(child.exitCode); else child.once('exit', (code) => resolve(code)); });

describe('issue #15 item 1: npm start survives malformed targets and saves its data on every way out', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-dev-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('answers 400, keeps running, and a SIGHUP right after a write keeps that write', async () => {
    const first = await startDevServer(dataDir);
    try {
      for (const line of BAD_TARGETS) expect((await rawRequest(first.url, line)).status, `${line}\n${first.output()}`).toBe(400);
      expect(first.child.exitCode).toBeNull();
      const account = newAccount();
      const client = new ApiClient({ url: first.url, projectId: 'demo-reckon', close: async () => {} });
      expect((await client.post('/api/auth/register', account)).status).toBe(201);
      first.child.kill('SIGHUP'); // well inside the emulator's 5 s save interval
      expect(await exited(first.child)).toBe(0);

      const second = await startDevServer(dataDir);
      try {
        const again = new ApiClient({ url: second.url, projectId: 'demo-reckon', close: async () => {} });
        expect((await again.post('/api/auth/login', { email: account.email, password: account.password })).status).toBe(200);
      } finally {
        second.child.kill('SIGTERM');
        await exited(second.child);
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  }, 90_000);
});
