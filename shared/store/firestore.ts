// The one Firestore client of an instance, created on first use (never at import time).
import { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-gax';
import { getConfig, onConfigure } from '../config/config.js';
import { observeUsage } from './usage.js';

let db: Firestore | undefined;
/** rest-then-grpc: the REST client the instance started on, kept for the work that began on it. */
let startClient: Firestore | undefined;
/** rest-then-grpc: whether new work still goes over REST, and the gRPC set-up's state. */
let upgrade: { pending: boolean; running: boolean; retryAt: number } = { pending: false, running: false, retryAt: 0 };
onConfigure(() => {
  void db?.terminate();
  if (startClient !== db) void startClient?.terminate();
  db = startClient = undefined;
  upgrade = { pending: false, running: false, retryAt: 0 };
});

function newClient(transport: 'rest' | 'grpc'): Firestore {
  // The client traces every call through OpenTelemetry unless told not to; Reckon exports no
  // traces, and the no-op spans cost several per cent of CPU under load (docs/performance.md).
  // The client reads this only from the environment, when it is created.
  process.env.FIRESTORE_ENABLE_TRACING ??= 'off';
  const client = new Firestore({ projectId: getConfig().projectId, ...(transport === 'rest' ? restTransport() : {}) });
  observeUsage(client);
  return client;
}

export function getDb(): Firestore {
  if (!db) {
    const transport = getConfig().firestoreTransport;
    db = newClient(transport === 'grpc' ? 'grpc' : 'rest');
    if (transport === 'rest-then-grpc') { startClient = db; upgrade.pending = true; }
  }
  return db;
}

/**
 * A read of a document that never exists: the gRPC client's first call, which opens its channel
 * before it takes over (one read per instance start).
 */
const WARM_UP_DOCUMENT = 'transportWarmUp/grpc';

/**
 * Called by the router once a request's answer has gone out, with the HTTP layer's logger (the
 * store sits below it). With rest-then-grpc, an instance answers its first requests over REST
 * (its first call is ~90 ms of CPU cheaper than gRPC's, docs/performance.md) and, after the first
 * answer of a request that used Firestore, sets up a gRPC client (each later call is ~0.8 ms
 * cheaper than over REST) that `getDb()` returns once its first call succeeded. A request under
 * way at that moment may use both clients: they reach the same database, so a reference made by
 * one is valid in the other's batch, transaction or query (test/config/firestore-transport.test.ts).
 * If the first gRPC call fails or outlasts `grpcSetup.timeoutMs`, the instance stays on REST and
 * tries again `grpcSetup.retryMs` later.
 */
type Warn = (message: string, fields: Record<string, unknown>) => void;

export function requestAnswered(warn: Warn): void {
  if (!upgrade.pending || upgrade.running || Date.now() < upgrade.retryAt) return;
  const current = upgrade;
  current.running = true;
  // After this turn of the event loop: the answer is on its way before any of this runs.
  setImmediate(() => { void changeOverToGrpc(current, warn); });
}

async function changeOverToGrpc(current: typeof upgrade, warn: Warn): Promise<void> {
  const { timeoutMs, retryMs } = getConfig().grpcSetup;
  let grpc: Firestore | undefined;
  let warmUp: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    grpc = newClient('grpc');
    warmUp = grpc.doc(WARM_UP_DOCUMENT).get();
    await Promise.race([warmUp, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs); })]);
    if (current !== upgrade) { void grpc.terminate(); return; } // reconfigured meanwhile
    db = grpc;
    current.pending = false;
  } catch (e) {
    // Closed only once its read has settled: a client closed under a read that is still
    // retrying rejects the retry where nothing can catch it (an unhandled rejection).
    const unused = grpc;
    void (warmUp ?? Promise.resolve()).catch(() => undefined).then(() => unused?.terminate());
    if (current !== upgrade) return;
    current.retryAt = Date.now() + retryMs;
    warn('Firestore over gRPC could not be set up; staying on REST', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), retryInS: Math.round(retryMs / 1000) });
  } finally {
    clearTimeout(timer);
    current.running = false;
  }
}

/**
 * Firestore over HTTP/1.1 REST instead of gRPC (RECKON_FIRESTORE_TRANSPORT=rest, or rest-then-grpc
 * until gRPC is ready; deploy/settings.ts chooses per function): an instance's first call costs less CPU, with no HTTP/2 channel to set
 * up, and each later call more (docs/performance.md, cold start). Every call Reckon's functions
 * make has a REST method; only listeners would need gRPC, and the client would switch to it by
 * itself. Against an emulator, which takes no credentials, the REST path still asks an auth client
 * for headers, so it gets one that needs no network (an API key the emulator ignores).
 */
export function restTransport(): { preferRest: true; auth?: GoogleAuth } {
  return process.env.FIRESTORE_EMULATOR_HOST
    ? { preferRest: true, auth: new GoogleAuth({ apiKey: 'emulator' }) }
    : { preferRest: true };
}

/** gRPC ALREADY_EXISTS: a create() met an existing document. */
const ALREADY_EXISTS = 6;
/** gRPC FAILED_PRECONDITION: a write's lastUpdateTime precondition no longer held. */
const FAILED_PRECONDITION = 9;

/** Whether a write failed because the document changed since it was read. */
export function isPreconditionFailure(e: unknown): boolean {
  return (e as { code?: number }).code === FAILED_PRECONDITION;
}

/** Commits a batch of creates; false when one of its documents already existed (nothing written). */
export async function commitCreates(batch: FirebaseFirestore.WriteBatch): Promise<boolean> {
  try {
    await batch.commit();
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === ALREADY_EXISTS) return false;
    throw e;
  }
}
