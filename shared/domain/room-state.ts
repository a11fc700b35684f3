// What a participant sees of a room: built from the stored records for one viewer. Before the
// round is revealed nobody sees another participant's card, only that they have voted; the
// viewer's own card comes back so a reload restores it.
import { deckValues, type Deck } from './decks.js';
import { everyoneHasVoted } from './rounds.js';
import { roundStatistics, type RoundStatistics } from './statistics.js';
import { isOnline } from './presence.js';
import { jiraLinkView, type JiraLinkView } from './jira-link.js';

export interface RoomSession {
  id: string; tenantId: string; name: string; ownerUid: string; deck: Deck; status: 'open' | 'closed';
  autoReveal: boolean; joinCode: string; currentIssueId: string | null; round: number; revealed: boolean;
}
export interface RoomParticipant {
  id: string; displayName: string; kind: 'user' | 'guest'; role: 'voter' | 'spectator'; uid: string | null; joinedAt: number; lastSeenAt: number;
}
export interface JiraLink {
  key: string; url: string; status: string | null; storyPoints: number | null; syncedAt?: number;
  /** Deleted in Jira, or moved out of the connection's reach (sync, Forge issue_deleted). */
  missing?: boolean;
  /** What the Forge app last reported about writing the final estimate into Jira (issue #21). */
  writeBack?: WriteBack;
  /** The estimate the app last wrote into Jira: a later failure, skip or retry replaces writeBack, not this. */
  lastWritten?: { estimate: string; at: number };
}
/** `retry`: a moderator asked the app to try again; `estimate` is the final estimate the outcome is about. */
export interface WriteBack { status: 'written' | 'skipped_changed_by_hand' | 'failed' | 'retry'; estimate: string; message: string; at: number }
/**
 * A client's decision on the final estimate (issue #17); a new estimate clears it. `clientId` is the
 * client it was made for: a session moved to another client shows that client none of it.
 */
export interface IssueApproval { decision: 'approved' | 'declined'; comment: string; byName: string; at: number; clientId: string }
export interface RoomIssue {
  id: string; title: string; description: string; order: number; rounds: number;
  finalEstimate: string | null; estimatedAt: number | null; jira: JiraLink | null;
  approval?: IssueApproval | null;
}
export interface ApprovalView { decision: 'approved' | 'declined'; comment: string; by: { displayName: string }; at: string }
export const approvalView = (a: IssueApproval | null | undefined): ApprovalView | null =>
  (a ? { decision: a.decision, comment: a.comment, by: { displayName: a.byName }, at: new Date(a.at).toISOString() } : null);
/** `note`: the voter's reason, shown beside the card once it is turned over. */
export interface RoomVote { participantId: string; value: string | null; note?: string | null }

export interface Viewer { participantId: string | null; canModerate: boolean; isGuest: boolean }

export interface RoomView {
  session: { id: string; tenantId: string; name: string; deck: { name: string; values: string[] }; status: 'open' | 'closed'; autoReveal: boolean; joinCode: string | null };
  participants: { id: string; displayName: string; kind: 'user' | 'guest'; role: 'voter' | 'spectator'; hasVoted: boolean; online: boolean }[];
  issues: { id: string; title: string; order: number; rounds: number; finalEstimate: string | null; estimatedAt: string | null; jira: JiraLinkView | null; approval: ApprovalView | null }[];
  currentIssue: { id: string; title: string; description: string; jira: JiraLinkView | null } | null;
  round: number;
  revealed: boolean;
  everyoneVoted: boolean;
  votes: { participantId: string; value: string; note: string | null }[] | null;
  statistics: RoundStatistics | null;
  me: { participantId: string | null; role: 'voter' | 'spectator' | null; vote: string | null; note: string | null; canModerate: boolean };
}

export interface RoomRecords {
  session: RoomSession; participants: RoomParticipant[]; issues: RoomIssue[]; roundVotes: RoomVote[];
  /** When the participants' presence was read: online marks are judged as of then. */
  presenceAsOf: number;
}

export function roomViewFor(records: RoomRecords, viewer: Viewer): RoomView {
  const { session, participants, issues, roundVotes, presenceAsOf } = records;
  const roles = new Map(participants.map((p) => [p.id, p.role]));
  // Only votes of current voters count: a spectator's old card is not a vote.
  const cast = roundVotes.filter((v): v is RoomVote & { value: string } => v.value !== null && roles.get(v.participantId) === 'voter')
    .map((v) => ({ participantId: v.participantId, value: v.value, note: v.note ?? null }));
  const voted = new Set(cast.map((v) => v.participantId));
  const current = session.currentIssueId ? issues.find((i) => i.id === session.currentIssueId) ?? null : null;
  const me = viewer.participantId ? participants.find((p) => p.id === viewer.participantId) ?? null : null;
  const revealed = session.revealed && current !== null;
  return {
    session: {
      id: session.id, tenantId: session.tenantId, name: session.name,
      deck: { name: session.deck.name, values: [...deckValues(session.deck)] },
      status: session.status, autoReveal: session.autoReveal,
      // The code lets people in; a guest has it already, but only members hand it on.
      joinCode: viewer.isGuest ? null : session.joinCode,
    },
    participants: [...participants].sort((a, b) => a.joinedAt - b.joinedAt || a.id.localeCompare(b.id)).map((p) => ({
      id: p.id, displayName: p.displayName, kind: p.kind, role: p.role, hasVoted: voted.has(p.id), online: isOnline(p.lastSeenAt, presenceAsOf),
    })),
    issues: [...issues].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)).map((i) => ({
      id: i.id, title: i.title, order: i.order, rounds: i.rounds, finalEstimate: i.finalEstimate,
      estimatedAt: i.estimatedAt === null ? null : new Date(i.estimatedAt).toISOString(), jira: jiraLinkView(i.jira), approval: approvalView(i.approval),
    })),
    currentIssue: current && { id: current.id, title: current.title, description: current.description, jira: jiraLinkView(current.jira) },
    round: current ? session.round : 0,
    revealed,
    everyoneVoted: current !== null && everyoneHasVoted(participants, voted),
    votes: revealed ? cast : null,
    statistics: revealed ? roundStatistics(session.deck, cast.map((v) => v.value)) : null,
    me: {
      participantId: me?.id ?? null,
      role: me?.role ?? null,
      vote: me ? cast.find((v) => v.participantId === me.id)?.value ?? null : null,
      note: me ? cast.find((v) => v.participantId === me.id)?.note ?? null : null,
      canModerate: viewer.canModerate,
    },
  };
}
