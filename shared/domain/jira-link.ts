// An issue's Jira link as the API declares it (docs/api.md, "jira"). The stored object holds
// more (what the sync needs, e.g. `timeSpentSeconds`, and whatever an older version wrote), so
// every response maps it field by field rather than passing it on.
import type { JiraLink, WriteBack } from './room-state.js';

export interface JiraLinkView {
  key: string; url: string; status: string | null; storyPoints: number | null;
  /** The field story points are read from (a board's estimation field), null for the site's story-point fields. */
  pointsFieldId: string | null;
  issueType: string | null; priority: string | null; assignee: string | null;
  /** The Jira connection it was imported through, null when it came from a Forge event. */
  connectionId: string | null;
  /** When Reckon last read it from Jira (ms since the epoch). */
  syncedAt: number | null;
  /** Deleted in Jira, or out of the connection's reach. */
  missing: boolean;
  /** The Forge app's last write of the final estimate into Jira; null when none was reported. */
  writeBack: WriteBackView | null;
}

export interface WriteBackView { status: WriteBack['status']; estimate: string; message: string; at: string }

const STATUSES: readonly WriteBack['status'][] = ['written', 'skipped_changed_by_hand', 'failed', 'retry'];

export function writeBackView(w: unknown): WriteBackView | null {
  if (!w || typeof w !== 'object') return null;
  const x = w as Partial<WriteBack>;
  if (!STATUSES.includes(x.status!) || typeof x.estimate !== 'string') return null;
  return { status: x.status!, estimate: x.estimate, message: typeof x.message === 'string' ? x.message : '', at: new Date(typeof x.at === 'number' ? x.at : 0).toISOString() };
}

const text = (v: unknown) => (typeof v === 'string' ? v : null);
const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function jiraLinkView(stored: JiraLink | null): JiraLinkView | null {
  if (!stored) return null;
  const s = stored as JiraLink & Record<string, unknown>;
  return {
    key: s.key, url: s.url, status: text(s.status), storyPoints: number(s.storyPoints), pointsFieldId: text(s.pointsFieldId),
    issueType: text(s.issueType), priority: text(s.priority), assignee: text(s.assignee), connectionId: text(s.connectionId),
    syncedAt: number(s.syncedAt), missing: s.missing === true, writeBack: writeBackView(s.writeBack),
  };
}
