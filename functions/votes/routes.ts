// The votes function: the hot path. A cast or a retraction is one transaction that reads the
// session, the participant and the vote together and writes one vote document (nothing when the
// card is unchanged); the last card of a round may reveal it (auto-reveal).
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { CastVoteBody, RetractVoteQuery, VotePath } from '../../shared/schemas/sessions.js';
import { refuseVote, type VoteRefusal } from '../../shared/domain/rounds.js';
import { recordVote, getVoteWithNote, type VoteContext } from '../../shared/store/votes.js';
import { participantIdFor, refuseMissingSession, requireSession, type RoomCaller } from '../../shared/access/authorize.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { revealIfEveryoneVoted } from '../../shared/rooms/auto-reveal.js';

const VOTE_LIMIT: RateLimit = { name: 'votes:participant', max: 300, windowS: 60, perInstance: true };

const REFUSALS: Record<VoteRefusal, () => HttpError> = {
  session_closed: () => new HttpError('session_closed', 'This session is closed.'),
  not_current_issue: () => new HttpError('not_current_issue', 'That issue is not being estimated now.'),
  stale_round: () => new HttpError('stale_round', 'That round is over; vote in the current one.'),
  round_revealed: () => new HttpError('round_revealed', 'The cards of this round are already on the table.'),
  value_not_in_deck: () => new HttpError('value_not_in_deck', "That card is not in this session's deck."),
};

/** Refuses the vote (inside the transaction) unless the caller may cast it in this round now. */
function admitter(ctx: HandlerContext, vote: { issueId: string; round: number; value: string | null }, caller: { current?: RoomCaller }) {
  return ({ session, participant }: VoteContext): void => {
    if (!session) refuseMissingSession(ctx, 'session.participate');
    caller.current ??= requireSession(ctx, 'session.participate', session.record);
    if (!participant || participant.id !== caller.current.participantId) throw new HttpError('not_a_voter', 'Join the session as a voter first.');
    if (participant.role !== 'voter') throw new HttpError('not_a_voter', 'Spectators watch; switch to voter to vote.');
    const refusal = refuseVote(session.record, vote);
    if (refusal) throw REFUSALS[refusal]();
  };
}

const limits = (_in: unknown, ctx: HandlerContext) => [{ limit: VOTE_LIMIT, subject: ctx.principal?.uid ?? ctx.guests[0]?.principal.participantId ?? ctx.clientNetwork }];

const cast = defineRoute({
  method: 'PUT', path: '/api/votes/:sessionId', permission: 'session.participate', params: VotePath, body: CastVoteBody, rateLimits: limits,
  async handler({ params, body }, ctx) {
    const caller: { current?: RoomCaller } = {};
    const vote = { issueId: body.issueId, round: body.round, value: body.value };
    const note = body.note || null;
    const { session, written } = await recordVote(params.sessionId, { ...vote, note, participantId: participantIdFor(ctx, params.sessionId) }, admitter(ctx, vote, caller));
    if (written) await revealIfEveryoneVoted(session, ctx.now);
    return { body: { vote: { issueId: vote.issueId, round: vote.round, value: vote.value, note } } };
  },
});

const retract = defineRoute({
  method: 'DELETE', path: '/api/votes/:sessionId', permission: 'session.participate', params: VotePath, query: RetractVoteQuery, rateLimits: limits,
  async handler({ params, query }, ctx) {
    const caller: { current?: RoomCaller } = {};
    const vote = { issueId: query.issueId, round: query.round, value: null };
    await recordVote(params.sessionId, { ...vote, participantId: participantIdFor(ctx, params.sessionId) }, admitter(ctx, vote, caller));
    return { status: 204 };
  },
});

const mine = defineRoute({
  method: 'GET', path: '/api/votes/:sessionId/mine', permission: 'session.participate', params: VotePath,
  async handler({ params }, ctx) {
    const { stored, room: caller } = await loadSessionFor(ctx, 'session.participate', params.sessionId);
    const { currentIssueId, round } = stored.record;
    const mineNow = currentIssueId ? await getVoteWithNote(stored.record.id, currentIssueId, round, caller.participantId) : null;
    return { body: { vote: currentIssueId ? { issueId: currentIssueId, round, value: mineNow!.value, note: mineNow!.note } : null } };
  },
});

export const voteRoutes: Route[] = [cast, retract, mine];
