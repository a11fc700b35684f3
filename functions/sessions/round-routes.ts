// The moderator's controls of a round: pick the current issue (a new round starts), reveal,
// re-vote (next round, cards cleared), record the final estimate, close and reopen the session.
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { FinalizeBody, RoundBody, SessionPath, SetCurrentBody } from '../../shared/schemas/sessions.js';
import { commitRoomChange, type StoredSession } from '../../shared/store/sessions.js';
import { getIssue, writeIssueUpdate, writeRoundRevealed } from '../../shared/store/issues.js';
import { moderate } from './moderate.js';
import { opensPerPerson, openWithinSessionCap } from './open-session-quota.js';
import { prepareInsightWrites } from '../../shared/rooms/issue-insights.js';
import { tallyShift } from '../../shared/domain/write-back-tally.js';

const issueNotFound = () => new HttpError('not_found', 'No such issue in this session.');

function roundView(s: StoredSession['record']) {
  return { currentIssueId: s.currentIssueId, round: s.round, revealed: s.revealed, status: s.status };
}

/** The round the moderator acted on must still be the current one; else the click is stale. */
function expectRound(s: StoredSession, body: { round?: number } | undefined): void {
  if (!s.record.currentIssueId) throw new HttpError('no_current_issue', 'Choose an issue to estimate first.');
  if (body?.round !== undefined && body.round !== s.record.round) throw new HttpError('stale_round', `The session is in round ${s.record.round} now.`);
}

const setCurrent = defineRoute({
  method: 'POST', path: '/api/sessions/:id/current', permission: 'session.moderate', params: SessionPath, body: SetCurrentBody,
  async handler({ params, body }, ctx) {
    const session = await moderate(params.id, ctx, async (s) => {
      const issue = await getIssue(s.record.id, body.issueId);
      if (!issue || issue.tenantId !== s.record.tenantId) throw issueNotFound();
      // Rounds of an issue keep counting, so votes of an earlier estimate are never mixed in.
      const round = issue.rounds + 1;
      const fields = { currentIssueId: issue.id, round, revealed: false };
      await commitRoomChange(s, { fields, issues: true, writes: (batch) => writeIssueUpdate(batch, s.record.id, issue.id, { rounds: round }) }, ctx.now);
      return { ...s.record, ...fields };
    });
    return { body: roundView(session) };
  },
});

const reveal = defineRoute({
  method: 'POST', path: '/api/sessions/:id/reveal', permission: 'session.moderate', params: SessionPath, body: RoundBody,
  async handler({ params, body }, ctx) {
    const session = await moderate(params.id, ctx, async (s) => {
      expectRound(s, body);
      if (s.record.revealed) return s.record; // already revealed: the same outcome
      const { id, currentIssueId, round } = s.record;
      await commitRoomChange(s, { fields: { revealed: true }, writes: (batch) => writeRoundRevealed(batch, id, currentIssueId!, round) }, ctx.now);
      return { ...s.record, revealed: true };
    });
    return { body: roundView(session) };
  },
});

const revote = defineRoute({
  method: 'POST', path: '/api/sessions/:id/revote', permission: 'session.moderate', params: SessionPath, body: RoundBody,
  async handler({ params, body }, ctx) {
    const session = await moderate(params.id, ctx, async (s) => {
      expectRound(s, body);
      const round = s.record.round + 1;
      const issueId = s.record.currentIssueId!;
      await commitRoomChange(s, { fields: { round, revealed: false }, issues: true, writes: (batch) => writeIssueUpdate(batch, s.record.id, issueId, { rounds: round }) }, ctx.now);
      return { ...s.record, round, revealed: false };
    });
    return { body: roundView(session) };
  },
});

const finalize = defineRoute({
  method: 'POST', path: '/api/sessions/:id/finalize', permission: 'session.moderate', params: SessionPath, body: FinalizeBody,
  async handler({ params, body }, ctx) {
    const issue = await moderate(params.id, ctx, async (s) => {
      const found = await getIssue(s.record.id, body.issueId);
      if (!found || found.tenantId !== s.record.tenantId) throw issueNotFound();
      // A new estimate (or none) is not what the client decided on: its approval is cleared (the history stays).
      const fields = { finalEstimate: body.estimate, estimatedAt: body.estimate === null ? null : ctx.now, estimatedBy: body.estimate === null ? null : ctx.principal!.uid, approval: null };
      // The insight aggregates move with the estimate (a re-estimate leaves its old card) in the same batch.
      const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, [{ before: found, after: { ...found, ...fields }, clientId: s.record.clientId }]);
      const entry = insight.entries.has(found.id) ? { insight: insight.entries.get(found.id) ?? null } : {};
      // A new estimate leaves the write-back counters its old one was in (shared/domain/write-back-tally.ts).
      await commitRoomChange(s, { issues: true, writeBackShift: tallyShift(found, { ...found, ...fields }), writes: (batch) => writeIssueUpdate(batch, s.record.id, found.id, { ...fields, ...entry }) + insight.write(batch) }, ctx.now);
      return { id: found.id, finalEstimate: fields.finalEstimate, estimatedAt: fields.estimatedAt === null ? null : new Date(fields.estimatedAt).toISOString() };
    });
    return { body: { issue } };
  },
});

function statusRoute(path: 'close' | 'reopen', status: 'open' | 'closed') {
  return defineRoute({
    method: 'POST', path: `/api/sessions/:id/${path}`, permission: 'session.moderate', params: SessionPath,
    ...(status === 'open' ? { rateLimits: opensPerPerson } : {}),
    async handler({ params }, ctx: HandlerContext) {
      const session = await moderate(params.id, ctx, async (s) => {
        if (s.record.status === status) return s.record;
        if (status === 'open') await openWithinSessionCap(s.record.tenantId, ctx.now, (opens) => commitRoomChange(s, { fields: { status }, opens }, ctx.now));
        else await commitRoomChange(s, { fields: { status } }, ctx.now);
        return { ...s.record, status };
      }, { evenWhenClosed: true });
      return { body: roundView(session) };
    },
  });
}

export const roundRoutes: Route[] = [setCurrent, reveal, revote, finalize, statusRoute('close', 'closed'), statusRoute('reopen', 'open')];
