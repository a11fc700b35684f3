// State of scheduled jobs: jobLeases/{job} (one run at a time: create() wins, a stale lease
// expires) and jobCursors/{job} (where an interrupted or bounded run continues).
import { Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates, isPreconditionFailure } from './firestore.js';

export async function takeLease(job: string, runId: string, now: number, ttlMs: number): Promise<boolean> {
  const db = getDb();
  const ref = db.collection('jobLeases').doc(job);
  const snap = await ref.get();
  if (snap.exists && (snap.get('expiresAt') as Timestamp).toMillis() > now) return false;
  const batch = db.batch();
  // A stale lease (a run that crashed) is replaced only if it is still the one we saw.
  if (snap.exists) batch.delete(ref, { lastUpdateTime: snap.updateTime! });
  batch.create(ref, { runId, expiresAt: Timestamp.fromMillis(now + ttlMs) });
  try {
    const taken = await commitCreates(batch);
    return taken;
  } catch (e) {
    if (isPreconditionFailure(e)) return false; // someone replaced the stale lease first
    throw e;
  }
}

export async function releaseLease(job: string, runId: string): Promise<void> {
  const ref = getDb().collection('jobLeases').doc(job);
  const snap = await ref.get();
  if (snap.exists && snap.get('runId') === runId) await ref.delete({ lastUpdateTime: snap.updateTime! });
}

export async function readCursor(job: string): Promise<string | null> {
  const snap = await getDb().collection('jobCursors').doc(job).get();
  return snap.exists ? (snap.get('after') as string | null) : null;
}

export async function saveCursor(job: string, after: string | null, now: number): Promise<void> {
  await getDb().collection('jobCursors').doc(job).set({ after, updatedAt: Timestamp.fromMillis(now) });
}
