// What a portal user sees of their client: their access, the client's finalized estimates (never
// votes, names, join codes or anything of a session not assigned to this client), and approvals.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ApprovalBody, ApprovalPath, ClientPath, ESTIMATES_PAGE, EstimatesQuery, type EstimateView } from '../../shared/schemas/portal.js';
import { loadClientForPortal, noSuchClient, portalAccessOf } from '../../shared/access/portal.js';
import { getPortalGrant, requirePortalGrantIn } from '../../shared/store/portal-access.js';
import { estimatesPage, estimateSummary } from '../../shared/domain/portal.js';
import { approvalView, type IssueApproval } from '../../shared/domain/room-state.js';
import { commitRoomChange, getStoredSession, listSessionsOfClient, SessionChangedError, type SessionRecord } from '../../shared/store/sessions.js';
import { getIssueAsRead, listIssues, writeApproval, type IssueRecord } from '../../shared/store/issues.js';
import { listRoundVotes } from '../../shared/store/votes.js';
import { getProfiles } from '../../shared/store/users.js';
import { recordApprovalIn } from '../../shared/store/portal-approvals.js';
import { iso } from './views.js';

const APPROVAL_LIMIT: RateLimit = { name: 'portal:approval:user', max: 60, windowS: 3600 };
const noSuchEstimate = () => new HttpError('not_found', 'No such estimate.');

const access = defineRoute({
  method: 'GET', path: '/api/portal/access', permission: 'account',
  async handler(_in, ctx) {
    return { body: { access: await portalAccessOf(ctx.principal!.uid) } };
  },
});

/** The issue's current decision if this client made it (a session moved from another client shows none of that one's). */
const approvalOf = (i: IssueRecord, clientId: string) => (i.approval?.clientId === clientId ? i.approval : null);

async function estimateView(s: SessionRecord, i: IssueRecord, clientId: string): Promise<EstimateView> {
  const lastRevealed = Math.max(0, ...(i.revealedRounds ?? []));
  const votes = lastRevealed ? await listRoundVotes(s.id, s.tenantId, i.id, lastRevealed) : [];
  return {
    sessionId: s.id, sessionName: s.name,
    issue: { id: i.id, title: i.title, jira: i.jira && { key: i.jira.key, url: i.jira.url } },
    finalEstimate: i.finalEstimate!, estimatedAt: iso(i.estimatedAt!),
    summary: estimateSummary(s.deck, i.rounds, votes.flatMap((v) => (v.value === null ? [] : [v.value]))),
    approval: approvalView(approvalOf(i, clientId)),
  };
}

const estimates = defineRoute({
  method: 'GET', path: '/api/portal/:clientId/estimates', permission: 'portal.client', params: ClientPath, query: EstimatesQuery,
  async handler({ params, query }, ctx) {
    const client = await loadClientForPortal(ctx, params.clientId);
    const sessions = await listSessionsOfClient(client.tenantId, client.id);
    const issues = await Promise.all(sessions.map((s) => listIssues(s.id, s.tenantId)));
    const finalized = sessions.flatMap((s, n) => issues[n]!.filter((i) => i.finalEstimate !== null && i.estimatedAt !== null)
      .map((i) => ({ session: s, issue: i, sessionId: s.id, issueId: i.id, estimatedAt: i.estimatedAt!, approval: approvalOf(i, client.id)?.decision ?? null })));
    const { page, next } = estimatesPage(finalized, query.status, query.cursor, ESTIMATES_PAGE);
    return { body: { estimates: await Promise.all(page.map((e) => estimateView(e.session, e.issue, client.id))), next } };
  },
});

/**
 * The portal user's decision on a finalized estimate of one of the client's sessions. Written only
 * if the issue is still as read (a new estimate in between answers 409), with its history entry.
 */
const approve = defineRoute({
  method: 'POST', path: '/api/portal/:clientId/estimates/:sessionId/:issueId/approval', permission: 'portal.client', params: ApprovalPath, body: ApprovalBody,
  rateLimits: (_in, ctx) => [{ limit: APPROVAL_LIMIT, subject: ctx.principal!.uid }],
  async handler({ params, body }, ctx) {
    const client = await loadClientForPortal(ctx, params.clientId);
    const stored = await getStoredSession(params.sessionId);
    if (!stored || stored.record.tenantId !== client.tenantId || stored.record.clientId !== client.id) throw noSuchEstimate();
    const read = await getIssueAsRead(stored.record.id, params.issueId);
    const issue = read?.issue;
    if (!read || !issue || issue.tenantId !== client.tenantId || issue.finalEstimate === null || issue.estimatedAt === null) throw noSuchEstimate();
    const uid = ctx.principal!.uid;
    const byName = (await getProfiles([uid])).get(uid)?.displayName ?? '';
    const approval: IssueApproval = { decision: body.decision, comment: body.comment ?? '', byName, at: ctx.now, clientId: client.id };
    try {
      await commitRoomChange(stored, {
        issues: true, commutes: true,
        writes: (batch) => {
          writeApproval(batch, stored.record.id, issue.id, approval, read.updateTime);
          requirePortalGrantIn(batch, client.id, uid);
          recordApprovalIn(batch, { ...approval, tenantId: client.tenantId, clientId: client.id, sessionId: stored.record.id, issueId: issue.id, uid, finalEstimate: issue.finalEstimate!, estimatedAt: issue.estimatedAt! });
          return 3;
        },
      }, ctx.now);
    } catch (e) {
      // The grant gone since it was read (the user was removed): as if it never was.
      if (e instanceof SessionChangedError && !(await getPortalGrant(client.tenantId, client.id, uid))) throw noSuchClient();
      if (e instanceof SessionChangedError) throw new HttpError('conflict', 'The estimate changed meanwhile; reload and decide again.');
      throw e;
    }
    return { body: { approval: approvalView(approval) } };
  },
});

export const estimateRoutes: Route[] = [access, estimates, approve];
