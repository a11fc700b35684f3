// The functions reach Firestore over gRPC unless RECKON_FIRESTORE_TRANSPORT says REST, or REST
// until gRPC is ready: a tap in front of the emulator sees how each connection opens (an HTTP/1.1
// request line or the HTTP/2 preface) and what went over each, while a user's requests work the
// same every way.
import { describe, it, expect, afterEach } from 'vitest';
import { registeredClient, startReckon, type Reckon, type ApiClient } from '../support/reckon.js';
import { newSession, guest, poll, addIssues, startRound, vote } from '../support/rooms.js';
import { captureLogLines } from '../support/logs.js';
import { newFirestore, freshProjectId, sleep } from '../support/firestore.js';
import { tapEmulator, type Tap } from '../support/tap.js';
import { configure } from '../../shared/config/config.js';

const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
let reckon: Reckon | undefined;
let tap: Tap | undefined;
afterEach(async () => {
  await reckon?.close();
  tap?.close();
  process.env.FIRESTORE_EMULATOR_HOST = emulatorHost;
});

async function signUpThrough(env: Record<string, string>, tapOptions = {}): Promise<string[]> {
  tap = await tapEmulator(tapOptions);
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

  it('is REST first with RECKON_FIRESTORE_TRANSPORT=rest-then-grpc, then gRPC for everything once its channel is up', async () => {
    await signUpThrough({ RECKON_FIRESTORE_TRANSPORT: 'rest-then-grpc' });
    const t = tap!;
    // The first answer never waited on gRPC: the instance's first bytes to Firestore were REST.
    expect(t.chunks[0]?.protocol).toBe('http1');
    const me = await registeredClient(reckon!);
    // Changed over once a request's Firestore work goes over gRPC alone.
    await untilReadsGoOverGrpcAlone(t, me.client);
    // From now on, a whole room's work goes over gRPC and nothing over REST.
    const from = t.chunks.length;
    const owner = await registeredClient(reckon!);
    const session = await newSession(owner);
    const [issueId] = await addIssues(owner, session.id, ['Checkout']);
    const round = await startRound(owner, session.id, issueId!);
    const g = await guest(reckon!, session.joinCode, 'Ana');
    expect((await vote(g.client, session.id, issueId!, round, '5')).status).toBe(200);
    const state = await poll(owner.client, session.id);
    expect(state.status).toBe(200);
    expect(state.json.participants.map((p: { displayName: string }) => p.displayName)).toContain('Ana');
    const after = t.chunks.slice(from);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((c) => c.protocol === 'http1')).toEqual([]);
  });

  it('stays on REST, and keeps answering, while gRPC cannot get through; changes over when it can', async () => {
    const logs = captureLogLines();
    const warnings = () => logs.lines.filter((l) => l.includes('Firestore over gRPC could not be set up'));
    try {
      await signUpThrough({
        RECKON_FIRESTORE_TRANSPORT: 'rest-then-grpc', RECKON_LOG_LEVEL: 'warn',
        RECKON_FIRESTORE_GRPC_SETUP_TIMEOUT_MS: '1000', RECKON_FIRESTORE_GRPC_RETRY_MS: '2000',
      }, { refuseHttp2: true });
      const t = tap!;
      const owner = await registeredClient(reckon!);
      const session = await newSession(owner);
      // The set-up gives up after its timeout and says so once.
      await until(async () => warnings().length > 0);
      expect(t.openings.some((o) => o.startsWith('PRI'))).toBe(true);
      // Still on REST: the room answers, and a request's reads go over HTTP/1.1.
      expect((await poll(owner.client, session.id)).status).toBe(200);
      const from = t.chunks.length;
      expect((await owner.client.get('/api/auth/me')).status).toBe(200);
      expect(t.chunks.slice(from).filter((c) => c.protocol === 'http1').length).toBeGreaterThan(0);
      expect(warnings()).toHaveLength(1);
      // Once HTTP/2 gets through, the next try (a retry period later) changes over: a request
      // that reads (GET /me always does) sends nothing over REST any more.
      t.refuseHttp2 = false;
      await untilReadsGoOverGrpcAlone(t, owner.client, 15_000);
      expect(logs.lines.filter((l) => l.includes('"severity":"ERROR"'))).toEqual([]);
    } finally { logs.stop(); }
  }, 30_000);
});

describe('a burst of votes and polls while an instance changes over to gRPC', () => {
  it('answers every one, and each voter\'s card is the last one they were told was saved', async () => {
    await signUpThrough({ RECKON_FIRESTORE_TRANSPORT: 'rest-then-grpc' });
    const t = tap!;
    const owner = await registeredClient(reckon!);
    const session = await newSession(owner, { autoReveal: false });
    const [issueId] = await addIssues(owner, session.id, ['Checkout']);
    const round = await startRound(owner, session.id, issueId!);
    const guests = await Promise.all(Array.from({ length: 30 }, (_, i) => guest(reckon!, session.joinCode, `Voter ${i}`)));
    // A fresh instance's clients: the burst's first answer sets the change-over going mid-burst.
    // No poll cache, so the last polls read what is stored (a poll may otherwise be a second old).
    configure({ ...process.env, GOOGLE_CLOUD_PROJECT: reckon!.projectId, RECKON_SITE_ORIGIN: reckon!.url, RECKON_LOG_LEVEL: 'silent', RECKON_FIRESTORE_TRANSPORT: 'rest-then-grpc', RECKON_POLL_CACHE_MS: '0' });
    const from = t.chunks.length;
    const values = ['1', '2', '3', '5', '8', '13'];
    const statuses: number[] = [];
    const last = new Map<string, string>();
    await Promise.all(guests.flatMap((g, i) => [
      (async () => {
        for (let n = 0; n < 4; n++) {
          const value = values[(i + n) % values.length]!;
          const res = await vote(g.client, session.id, issueId!, round, value);
          statuses.push(res.status);
          if (res.status === 200) last.set(g.participantId, value);
        }
      })(),
      (async () => { for (let n = 0; n < 3; n++) statuses.push((await poll(g.client, session.id)).status); })(),
    ]));
    expect(statuses.filter((st) => st !== 200)).toEqual([]);
    for (const g of guests) expect((await poll(g.client, session.id)).json.me.vote).toBe(last.get(g.participantId));
    // The burst began over REST (the old clients' closing frames may come first) and the change-over
    // happened during it or just after.
    expect(t.chunks.slice(from).some((c) => c.protocol === 'http1')).toBe(true);
    await untilReadsGoOverGrpcAlone(t, owner.client, 20_000);
  }, 60_000);
});

describe('two clients of one database (REST and gRPC) while an instance changes over', () => {
  it('take each other\'s references in writes, batches, transactions and queries', async () => {
    const projectId = freshProjectId('transport');
    const rest = newFirestore({ projectId, transport: 'rest' });
    const grpc = newFirestore({ projectId, transport: 'grpc' });
    try {
      const a = rest.collection('rooms').doc('a'), b = rest.collection('rooms').doc('b');
      await grpc.batch().set(a, { n: 1 }).set(b, { n: 2 }).commit();
      const total = await grpc.runTransaction(async (tx) => {
        const [x, y] = await Promise.all([tx.get(a), tx.get(b)]);
        tx.update(a, { n: x.get('n') + y.get('n') });
        return x.get('n') + y.get('n');
      });
      expect(total).toBe(3);
      expect((await rest.runTransaction(async (tx) => (await tx.get(grpc.collection('rooms').where('n', '==', 3))).size))).toBe(1);
      expect((await a.get()).get('n')).toBe(3);
    } finally { await Promise.all([rest.terminate(), grpc.terminate()]); }
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** Waits until a request that reads (GET /me always does) sends its Firestore work over gRPC alone. */
async function untilReadsGoOverGrpcAlone(t: Tap, client: ApiClient, timeoutMs?: number): Promise<void> {
  await until(async () => {
    const from = t.chunks.length;
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const sent = t.chunks.slice(from);
    return sent.length > 0 && sent.every((c) => c.protocol === 'http2');
  }, timeoutMs);
}
