// The functions reach Firestore over gRPC unless RECKON_FIRESTORE_TRANSPORT says REST: a tap in
// front of the emulator sees how each connection opens (an HTTP/1.1 request line or the HTTP/2
// preface), while a user's requests work the same either way.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, afterEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';

interface Tap { host: string; openings: string[]; close(): void }

/** A TCP relay to the test emulator that records the first bytes of every connection. */
async function tapEmulator(): Promise<Tap> {
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(':') as [string, string];
  const openings: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(client).add(upstream);
    client.once('data', (first: Buffer) => openings.push(first.subarray(0, 14).toString('latin1')));
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    openings,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
let reckon: Reckon | undefined;
let tap: Tap | undefined;
afterEach(async () => {
  await reckon?.close();
  tap?.close();
  process.env.FIRESTORE_EMULATOR_HOST = emulatorHost;
});

async function signUpThrough(env: Record<string, string>): Promise<string[]> {
  tap = await tapEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = tap.host; // the client reads it when it is created
  reckon = await startReckon(env);
  const user = await registeredClient(reckon);
  expect((await user.client.get('/api/auth/me')).status).toBe(200);
  return tap.openings;
}

describe('the functions\' Firestore transport', () => {
  it('is gRPC (HTTP/2) by default: every connection opens with the HTTP/2 preface', async () => {
    const openings = await signUpThrough({});
    expect(openings.length).toBeGreaterThan(0);
    expect(openings.every((o) => o.startsWith('PRI * HTTP/2.0'))).toBe(true);
  });

  it('is REST (HTTP/1.1) with RECKON_FIRESTORE_TRANSPORT=rest: no connection opens with the HTTP/2 preface', async () => {
    const openings = await signUpThrough({ RECKON_FIRESTORE_TRANSPORT: 'rest' });
    expect(openings.length).toBeGreaterThan(0);
    expect(openings.every((o) => /^(POST|GET|PATCH|DELETE) \/v1\//.test(o))).toBe(true);
  });
});
