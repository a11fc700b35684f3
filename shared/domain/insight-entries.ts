// What one finalized issue adds to the insight aggregates (issue #19), and the increments that
// move an issue from what it added before to what it adds now. Pure: the store turns the deltas
// into FieldValue.increment writes. The entry an issue added is kept on the issue itself
// (`insight`), so a re-estimate, a new time from Jira, a session moved to another client or a
// deleted issue takes back exactly what was added, without reading the aggregate.
import { numericValue } from './decks.js';

/** The issue's contribution to the aggregates, as stored on the issue (`insight`). */
export interface InsightEntry {
  /** UTC month of the estimate, `YYYY-MM`. */
  month: string;
  card: string;
  clientId: string | null;
  /** Time logged in Jira, in quarter hours (the statistic's resolution); null when none is logged. */
  quarters: number | null;
  jira: boolean;
  /** Linked to Jira and not done there. */
  open: boolean;
  /** Round 1 was revealed; `agreed`: every card played in it was the same. */
  voted: boolean;
  agreed: boolean;
  rounds: number;
}

export interface IssueFacts {
  finalEstimate: string | null;
  estimatedAt: number | null;
  rounds: number;
  jira: { timeSpentSeconds?: number | null; status?: string | null; missing?: boolean } | null;
}

/** Jira status names that mean done (the stored issue keeps the name, not the category). */
const DONE = /^(done|closed|resolved|complete|completed|released|cancell?ed|won'?t (do|fix))$/i;

export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
/** Seconds to quarter hours: any logged time counts as at least one quarter. */
export const quartersOf = (seconds: number): number => Math.max(1, Math.round(seconds / 900));

/** What the issue contributes now, or null (no final estimate). */
export function entryOf(issue: IssueFacts, clientId: string | null, firstRound: { voted: boolean; agreed: boolean }): InsightEntry | null {
  if (issue.finalEstimate === null || issue.estimatedAt === null) return null;
  const secs = issue.jira?.timeSpentSeconds;
  const jira = issue.jira !== null && !issue.jira.missing;
  return {
    month: monthOf(issue.estimatedAt), card: issue.finalEstimate, clientId,
    quarters: typeof secs === 'number' && secs > 0 ? quartersOf(secs) : null,
    jira, open: jira && !DONE.test(issue.jira?.status ?? ''),
    voted: firstRound.voted, agreed: firstRound.voted && firstRound.agreed, rounds: issue.rounds,
  };
}

/** Whether the cards of round 1 agree: at least one card played and every one the same. */
export function firstRoundAgreed(values: readonly string[]): boolean {
  return values.length > 0 && values.every((v) => v === values[0]);
}

export function sameEntry(a: InsightEntry | null | undefined, b: InsightEntry | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A field name for a card (cards are free text: `.`, `/`, `½`, emoji): its UTF-8 bytes in hex. */
export const cardKey = (card: string): string => `k${[...new TextEncoder().encode(card)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Increments for one aggregate document: a nested tree of numbers (leaves are increments). */
export type Tree = { [k: string]: number | Tree };

/** Which aggregate documents an entry counts in: the team's year, and the client's year. */
export interface AggregateRef { scope: 'team' | 'client'; clientId: string | null; year: string }
export const refsOf = (e: InsightEntry): AggregateRef[] => [
  { scope: 'team', clientId: null, year: e.month.slice(0, 4) },
  ...(e.clientId ? [{ scope: 'client' as const, clientId: e.clientId, year: e.month.slice(0, 4) }] : []),
];
export const refId = (tenantId: string, r: AggregateRef): string => (r.scope === 'team' ? `${tenantId}_team_${r.year}` : `${tenantId}_client_${r.clientId}_${r.year}`);

function add(tree: Tree, path: string[], n: number): void {
  let t = tree;
  for (const k of path.slice(0, -1)) t = (t[k] ??= {}) as Tree;
  const leaf = path.at(-1)!;
  t[leaf] = ((t[leaf] as number | undefined) ?? 0) + n;
}

/** The increments of one entry (sign +1 adds it, -1 takes it back) in the layout of an aggregate document. */
function entryTree(tree: Tree, e: InsightEntry, sign: 1 | -1): void {
  const m = ['m', e.month.slice(5, 7)];
  const c = [...m, 'c', cardKey(e.card)];
  add(tree, [...m, 'n'], sign);
  add(tree, [...c, 'n'], sign);
  if (e.jira) add(tree, [...m, 'jira'], sign);
  if (e.open) add(tree, [...m, 'open'], sign);
  if (e.voted) add(tree, [...m, 'voted'], sign);
  if (e.agreed) add(tree, [...m, 'agreed'], sign);
  if (e.rounds > 0) { add(tree, [...m, 'roundsN'], sign); add(tree, [...m, 'roundsSum'], sign * e.rounds); }
  if (e.quarters !== null) {
    add(tree, [...m, 'timed'], sign);
    add(tree, [...c, 't'], sign);
    add(tree, [...c, 'h', `q${e.quarters}`], sign);
  }
}

/** Drops zero leaves and empty branches (an entry replaced by itself changes nothing). */
function pruned(tree: Tree): Tree | undefined {
  const out: Tree = {};
  for (const [k, v] of Object.entries(tree)) {
    const p = typeof v === 'number' ? (v === 0 ? undefined : v) : pruned(v);
    if (p !== undefined) out[k] = p;
  }
  return Object.keys(out).length ? out : undefined;
}

export interface AggregateDelta { ref: AggregateRef; tree: Tree; cards: Record<string, string> }

/** The increments, by aggregate document id, that turn what each `before` added into what its `after` adds. */
export function entryDeltas(tenantId: string, pairs: readonly { before: InsightEntry | null | undefined; after: InsightEntry | null | undefined }[]): Map<string, AggregateDelta> {
  const out = new Map<string, AggregateDelta>();
  const apply = (e: InsightEntry, sign: 1 | -1) => {
    for (const ref of refsOf(e)) {
      const id = refId(tenantId, ref);
      const d = out.get(id) ?? { ref, tree: {}, cards: {} };
      entryTree(d.tree, e, sign);
      if (sign === 1) d.cards[cardKey(e.card)] = e.card;
      out.set(id, d);
    }
  };
  for (const { before, after } of pairs) {
    if (sameEntry(before, after)) continue;
    if (before) apply(before, -1);
    if (after) apply(after, 1);
  }
  for (const [id, d] of out) {
    const tree = pruned(d.tree);
    if (tree) out.set(id, { ...d, tree }); else out.delete(id);
  }
  return out;
}

/** Hours per point of a card, when the card is a positive number. */
export function pointsOf(card: string): number | null {
  const n = numericValue(card);
  return n !== undefined && n > 0 ? n : null;
}
