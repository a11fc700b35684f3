// Reading what an AI answer is about, through the access layer: the session (as the permission
// says), its issue (another session's issue is as missing as a deleted one), the revealed cards.
import { HttpError } from '../../shared/http/errors.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { getIssue, type IssueRecord } from '../../shared/store/issues.js';
import type { StoredSession } from '../../shared/store/sessions.js';
import type { RoomCaller } from '../../shared/access/authorize.js';
import type { TargetIssue } from '../../shared/domain/suggestion.js';

export interface IssueInSession { stored: StoredSession; room: RoomCaller; issue: IssueRecord }

export async function loadIssueFor(ctx: HandlerContext, permission: 'session.participate' | 'session.moderate', sessionId: string, issueId: string): Promise<IssueInSession> {
  const { stored, room } = await loadSessionFor(ctx, permission, sessionId);
  const issue = await getIssue(sessionId, issueId);
  if (!issue || issue.tenantId !== stored.record.tenantId) throw new HttpError('not_found', 'No such issue.');
  return { stored, room, issue };
}

/** The latest round of the issue whose cards were turned over, if any. */
export function lastRevealedRound(issue: IssueRecord): number | undefined {
  const rounds = issue.revealedRounds ?? [];
  return rounds.length ? Math.max(...rounds) : undefined;
}

/** Whether the issue's cards are on the table: never while a round of it is open and face down. */
export function isRevealed(stored: StoredSession, issue: IssueRecord): boolean {
  const s = stored.record;
  if (s.currentIssueId === issue.id && !s.revealed) return false;
  return lastRevealedRound(issue) !== undefined || issue.finalEstimate !== null;
}

/** The Jira facts the import and sync keep beside the link (issue type, components, time logged), when there are any. */
export function jiraFacts(issue: IssueRecord): { key?: string; issueType: string | null; components: string[]; hoursLogged: number | null } {
  const j = issue.jira as (Record<string, unknown> & { key?: string }) | null;
  const seconds = typeof j?.timeSpentSeconds === 'number' ? j.timeSpentSeconds : null;
  const components = Array.isArray(j?.components) ? j.components.filter((c): c is string => typeof c === 'string') : [];
  return { ...(j?.key ? { key: j.key } : {}), issueType: typeof j?.issueType === 'string' ? j.issueType : null, components, hoursLogged: seconds === null ? null : seconds / 3600 };
}

export const targetOf = (issue: IssueRecord): TargetIssue => {
  const { issueType, components } = jiraFacts(issue);
  return { title: issue.title, description: issue.description, issueType, components };
};
