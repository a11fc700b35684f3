// Summaries: summaries/{sessionId}_{issueId}_{round} for a round, summaries/{sessionId}_session for
// a session. Written once with create(): a second request for the same round reads the first
// answer (no second model call, and concurrent requests cannot store two).
import { Timestamp } from '@google-cloud/firestore';
import { z } from 'zod';
import { getDb } from './firestore.js';

export interface SummaryRecord {
  tenantId: string; sessionId: string; issueId: string | null; round: number | null;
  text: string; source: 'gemini' | 'statistical'; model: string | null;
  /** Session summaries only: the version without names or votes, for clients. */
  clientSafeText: string | null;
  createdAt: number;
}

const Stored = z.object({
  tenantId: z.string(), sessionId: z.string(), issueId: z.string().nullable(), round: z.number().int().nullable(),
  text: z.string(), source: z.enum(['gemini', 'statistical']), model: z.string().nullable(), clientSafeText: z.string().nullable().optional(),
  createdAt: z.instanceof(Timestamp),
});

const summaries = () => getDb().collection('summaries');
export const roundSummaryId = (sessionId: string, issueId: string, round: number) => `${sessionId}_${issueId}_${round}`;
export const sessionSummaryId = (sessionId: string) => `${sessionId}_session`;

export async function getSummary(id: string, tenantId: string): Promise<SummaryRecord | undefined> {
  const snap = await summaries().doc(id).get();
  if (!snap.exists) return undefined;
  const d = Stored.parse(snap.data());
  if (d.tenantId !== tenantId) return undefined;
  return { ...d, clientSafeText: d.clientSafeText ?? null, createdAt: d.createdAt.toMillis() };
}

/** Stores the summary unless one exists; returns the one that is stored either way. */
export async function createSummary(id: string, s: SummaryRecord): Promise<SummaryRecord> {
  try {
    await summaries().doc(id).create({ ...s, createdAt: Timestamp.fromMillis(s.createdAt) });
    return s;
  } catch (e) {
    if ((e as { code?: number }).code !== 6) throw e; // ALREADY_EXISTS: someone else's answer stands
    return (await getSummary(id, s.tenantId)) ?? s;
  }
}

/** A session summary is written again on request (the session moved on since). */
export async function putSessionSummary(id: string, s: SummaryRecord): Promise<void> {
  await summaries().doc(id).set({ ...s, createdAt: Timestamp.fromMillis(s.createdAt) });
}
