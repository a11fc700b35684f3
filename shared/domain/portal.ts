// The client portal's rules, pure: a link's status, the link URL, what a client may see of an estimate.
import type { ApprovalDecision, EstimateSummary, LinkStatus } from '../schemas/portal.js';
import type { Deck } from './decks.js';
import { roundStatistics } from './statistics.js';

export function portalLinkStatus(l: { revokedAt: number | null; usedAt: number | null; expiresAt: number }, now: number): LinkStatus {
  if (l.revokedAt !== null) return 'revoked';
  if (l.usedAt !== null) return 'used';
  return l.expiresAt <= now ? 'expired' : 'active';
}

/** The link shown once: the token rides in the fragment, so it never reaches a server log or a Referer. */
export function portalLinkUrl(siteOrigin: string, token: string): string {
  return `${siteOrigin}/#/portal/link/${token}`;
}

/** What a client may learn of how an estimate came about: counts and the range, never who played what. */
export function estimateSummary(deck: Deck, rounds: number, lastRevealedValues: readonly string[]): EstimateSummary {
  if (lastRevealedValues.length === 0) return { rounds, voters: 0, consensus: false, range: null };
  const stats = roundStatistics(deck, lastRevealedValues);
  return { rounds, voters: stats.votes, consensus: stats.consensus, range: stats.spread && { lowest: stats.spread.lowest, highest: stats.spread.highest } };
}

export interface ListedEstimate { sessionId: string; issueId: string; estimatedAt: number; approval: ApprovalDecision | null }
export type EstimateStatusFilter = 'all' | 'pending' | 'approved' | 'declined';

const cursorOf = (e: ListedEstimate) => `${e.estimatedAt}.${e.sessionId}.${e.issueId}`;
const newestFirst = (a: ListedEstimate, b: ListedEstimate) => b.estimatedAt - a.estimatedAt || b.sessionId.localeCompare(a.sessionId) || b.issueId.localeCompare(a.issueId);

/** One page, newest first, of the estimates with this status after the cursor; `next` when more follow. */
export function estimatesPage<T extends ListedEstimate>(all: readonly T[], status: EstimateStatusFilter, cursor: string | undefined, size: number): { page: T[]; next: string | null } {
  const wanted = all.filter((e) => status === 'all' || (status === 'pending' ? e.approval === null : e.approval === status)).sort(newestFirst);
  let start = 0;
  if (cursor) {
    const [at, sessionId, issueId] = cursor.split('.');
    const mark: ListedEstimate = { estimatedAt: Number(at), sessionId: sessionId!, issueId: issueId!, approval: null };
    start = wanted.findIndex((e) => newestFirst(e, mark) > 0);
    if (start < 0) start = wanted.length;
  }
  const page = wanted.slice(start, start + size);
  return { page, next: start + size < wanted.length ? cursorOf(page[page.length - 1]!) : null };
}
