// The one Firestore client of an instance, created on first use (never at import time).
import { Firestore } from '@google-cloud/firestore';
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
    db = new Firestore({ projectId: getConfig().projectId });
    observeUsage(db);
  }
  return db;
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
