// The one Firestore client of an instance, created on first use (never at import time).
import { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-gax';
import { getConfig, onConfigure } from '../config/config.js';
import { observeUsage } from './usage.js';

let db: Firestore | undefined;
onConfigure(() => { void db?.terminate(); db = undefined; });

export function getDb(): Firestore {
  if (!db) {
    // The client traces every call through OpenTelemetry unless told not to; Reckon exports no
    // traces, and the no-op spans cost several per cent of CPU under load (docs/performance.md).
    // The client reads this only from the environment, when it is created.
    process.env.FIRESTORE_ENABLE_TRACING ??= 'off';
    const { projectId, firestoreTransport } = getConfig();
    db = new Firestore({ projectId, ...(firestoreTransport === 'rest' ? restTransport() : {}) });
    observeUsage(db);
  }
  return db;
}

/**
 * Firestore over HTTP/1.1 REST instead of gRPC (RECKON_FIRESTORE_TRANSPORT=rest; deploy/settings.ts
 * chooses per function): an instance's first call costs less CPU, with no HTTP/2 channel to set
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
