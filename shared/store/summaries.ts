// Summaries: summaries/{sessionId}_{issueId}_{round} for a round, summaries/{sessionId}_session for
// a session. Written once with create(): a second request for the same round reads the first
// answer (no second model call, and concurrent requests cannot store two).
import { Timestamp } from '@google-cloud/firestore';
import * as z from 'zod';
import { getDb } from './firestore.js';
import type { Suggestion } from '../domain/suggestion.js';

export interface SummaryRecord {
  tenantId: string; sessionId: string; issueId: string | null; round: number | null;
  text: string; source: 'gemini' | 'statistical'; model: string | null;
  /** Session summaries only: the version without names or votes, for clients. */
  clientSafeText: string | null;
  /** Session summaries only: digests of what the summary and its client-safe version were made from. */
  basis?: string | null; clientBasis?: string | null;
  createdAt: number;
}

const Stored = z.object({
  tenantId: z.string(), sessionId: z.string(), issueId: z.string().nullable(), round: z.number().int().nullable(),
  text: z.string(), source: z.enum(['gemini', 'statistical']), model: z.string().nullable(), clientSafeText: z.string().nullable().optional(),
  basis: z.string().nullable().optional(), clientBasis: z.string().nullable().optional(), createdAt: z.instanceof(Timestamp),
});

const summaries = () => getDb().collection('summaries');
export const roundSummaryId = (sessionId: string, issueId: string, round: number) => `${sessionId}_${issueId}_${round}`;
export const sessionSummaryId = (sessionId: string) => `${sessionId}_session`;

export async function getSummary(id: string, tenantId: string): Promise<SummaryRecord | undefined> {
  const snap = await summaries().doc(id).get();
  if (!snap.exists) return undefined;
  const d = Stored.parse(snap.data());
  if (d.tenantId !== tenantId) return undefined;
  return { ...d, clientSafeText: d.clientSafeText ?? null, basis: d.basis ?? null, clientBasis: d.clientBasis ?? null, createdAt: d.createdAt.toMillis() };
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

/** A session summary is written again once the session moved on (another basis). */
export async function putSessionSummary(id: string, s: SummaryRecord): Promise<void> {
  await summaries().doc(id).set({ ...s, createdAt: Timestamp.fromMillis(s.createdAt) });
}

// --- One model call per answer, however many ask at once (a claim made with create()) ---

const claimRef = (id: string) => summaries().doc(`${id}_claim`);

/** Claims the right to ask the model for answer `id`; false when someone else holds it. */
export async function claimAnswer(id: string, tenantId: string, sessionId: string, now: number): Promise<boolean> {
  try {
    await claimRef(id).create({ tenantId, sessionId, createdAt: Timestamp.fromMillis(now) });
    return true;
  } catch (e) {
    if ((e as { code?: number }).code !== 6) throw e;
    return false;
  }
}

export async function releaseAnswer(id: string): Promise<void> {
  await claimRef(id).delete();
}

/**
 * Gemini's suggestion for an issue, kept so the room's readers share one model call, with the
 * digest of what it was asked from (its prompt). `answer` null: Gemini
 * gave none (a fallback), kept briefly so the room's fetches do not each ask again. A document kept
 * before digests were stored does not parse and counts as absent (asked again, then replaced).
 */
export interface StoredSuggestion { estimate: string; confidence: number; rationale: string; model: string }
export interface KeptGeminiSuggestion { basis: string; answer: StoredSuggestion | null; createdAt: number }
const SuggestionDoc = z.object({
  tenantId: z.string(), basis: z.string(), createdAt: z.instanceof(Timestamp),
  answer: z.object({ estimate: z.string(), confidence: z.number(), rationale: z.string(), model: z.string() }).nullable(),
});
export const suggestionId = (sessionId: string, issueId: string) => `${sessionId}_${issueId}_suggestion`;

export async function getSuggestion(id: string, tenantId: string): Promise<KeptGeminiSuggestion | undefined> {
  const snap = await summaries().doc(id).get();
  const d = snap.exists ? SuggestionDoc.safeParse(snap.data()) : undefined;
  if (!d?.success || d.data.tenantId !== tenantId) return undefined;
  return { basis: d.data.basis, answer: d.data.answer, createdAt: d.data.createdAt.toMillis() };
}

export async function putSuggestion(id: string, tenantId: string, sessionId: string, issueId: string, k: KeptGeminiSuggestion): Promise<void> {
  await summaries().doc(id).set({ tenantId, sessionId, issueId, ...k, createdAt: Timestamp.fromMillis(k.createdAt) });
}

/**
 * The statistical suggestion for an issue and the neighbours it came from, kept with the digest of
 * what it was computed from (the issue, the team's latest estimate, the calibration, the client):
 * a reader whose digest matches reads one document instead of the team's history.
 */
export interface KeptNeighbour { title: string; finalEstimate: string; hoursLogged: number | null; score: number }
export interface KeptSuggestion { basis: string; suggestion: Suggestion | null; neighbours: KeptNeighbour[]; createdAt: number }
const KeptDoc = z.object({
  tenantId: z.string(), basis: z.string(), createdAt: z.instanceof(Timestamp),
  suggestion: z.object({
    estimate: z.string(), confidence: z.number(), rationale: z.string(),
    basedOn: z.array(z.object({ key: z.string().optional(), title: z.string(), finalEstimate: z.string(), hoursLogged: z.number().optional() })),
  }).nullable(),
  neighbours: z.array(z.object({ title: z.string(), finalEstimate: z.string(), hoursLogged: z.number().nullable(), score: z.number() })),
});
export const statisticalSuggestionId = (sessionId: string, issueId: string) => `${sessionId}_${issueId}_statistical`;

export async function getKeptSuggestion(id: string, tenantId: string): Promise<KeptSuggestion | undefined> {
  const snap = await summaries().doc(id).get();
  const d = snap.exists ? KeptDoc.safeParse(snap.data()) : undefined;
  if (!d?.success || d.data.tenantId !== tenantId) return undefined;
  return { basis: d.data.basis, suggestion: d.data.suggestion, neighbours: d.data.neighbours, createdAt: d.data.createdAt.toMillis() };
}

export async function putKeptSuggestion(id: string, tenantId: string, sessionId: string, issueId: string, k: KeptSuggestion): Promise<void> {
  await summaries().doc(id).set({ tenantId, sessionId, issueId, ...k, createdAt: Timestamp.fromMillis(k.createdAt) });
}
