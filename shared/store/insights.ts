// The insight aggregates (issue #19): insights/{tenantId}_team_{year} and
// insights/{tenantId}_client_{clientId}_{year}, each holding its year's months (counts, per-card
// histograms of quarter hours), card labels and outlier candidates. Written only with
// FieldValue.increment (and per-key sets of candidates) in the same batch as the issue change
// that causes them, so concurrent changes never overwrite each other and nothing is read first.
import { FieldValue } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import type { AggregateDelta, Tree } from '../domain/insight-entries.js';
import type { OutlierCandidate, YearAggregate } from '../domain/insight-stats.js';

const insights = () => getDb().collection('insights');

export const teamAggregateId = (tenantId: string, year: string) => `${tenantId}_team_${year}`;
export const clientAggregateId = (tenantId: string, clientId: string, year: string) => `${tenantId}_client_${clientId}_${year}`;

/** The aggregates of these years (one batched read; a year without data is absent). */
export async function getAggregates(tenantId: string, clientId: string | null, years: readonly string[]): Promise<YearAggregate[]> {
  if (years.length === 0) return [];
  const db = getDb();
  const ids = years.map((y) => (clientId ? clientAggregateId(tenantId, clientId, y) : teamAggregateId(tenantId, y)));
  const snaps = await db.getAll(...ids.map((id) => insights().doc(id)));
  // Mapped field by field: the stored document also carries tenantId and clientId, which no answer needs.
  return snaps.filter((s) => s.exists && s.get('tenantId') === tenantId).map((s): YearAggregate => ({
    year: String(s.get('year')), cards: s.get('cards'), m: s.get('m'), out: s.get('out'),
  }));
}

function increments(tree: Tree): Record<string, unknown> {
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, typeof v === 'number' ? FieldValue.increment(v) : increments(v)]));
}

/** Candidate changes by aggregate document id: a candidate to keep, or null to drop it (by `${sessionId}_${issueId}`). */
export type CandidateChanges = Map<string, Map<string, OutlierCandidate | null>>;

/** Adds the aggregate writes to the batch: one merge-set per document. */
export function writeAggregateDeltas(batch: FirebaseFirestore.WriteBatch, tenantId: string, deltas: ReadonlyMap<string, AggregateDelta>, candidates: CandidateChanges): number {
  const ids = new Set([...deltas.keys(), ...candidates.keys()]);
  for (const id of ids) {
    const d = deltas.get(id);
    const out = candidates.get(id);
    const ref = d?.ref;
    const fields: Record<string, unknown> = { tenantId };
    // An empty map in a merge would replace the stored one: only non-empty parts are written.
    if (ref) Object.assign(fields, { clientId: ref.clientId, year: ref.year, ...increments(d.tree), ...(Object.keys(d.cards).length ? { cards: d.cards } : {}) });
    if (out?.size) fields.out = Object.fromEntries([...out].map(([k, c]) => [k, c ?? FieldValue.delete()]));
    batch.set(insights().doc(id), fields, { merge: true });
  }
  return ids.size;
}

/** How many candidates a document keeps at most (a bound on its size). */
export const MAX_CANDIDATES = 300;

/**
 * Drops a deleted session's outlier candidates (title, Jira and session links) from every
 * aggregate of its team: retention deletes the session's content, the numbers alone stay.
 */
export async function dropSessionCandidates(tenantId: string, sessionId: string): Promise<void> {
  const snap = await insights().where('tenantId', '==', tenantId).select('out').get();
  const batch = getDb().batch();
  let writes = 0;
  for (const d of snap.docs) {
    const keys = Object.keys((d.get('out') as Record<string, unknown> | undefined) ?? {}).filter((k) => k.startsWith(`${sessionId}_`));
    if (keys.length === 0) continue;
    batch.set(d.ref, { out: Object.fromEntries(keys.map((k) => [k, FieldValue.delete()])) }, { merge: true });
    writes++;
  }
  if (writes > 0) await batch.commit();
}
