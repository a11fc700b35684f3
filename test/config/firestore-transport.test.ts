// The functions reach Firestore over gRPC unless RECKON_FIRESTORE_TRANSPORT says REST: a tap in
// front of the emulator sees how each connection opens (an HTTP/1.1 request line or the HTTP/2
// preface), while a user's requests work the same either way.
import { describe, it, expect, afterEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { tapEmulator, type Tap } from '../support/tap.js';

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
