// The agenda of a session: add issues (one by one or a pasted list), edit, delete, reorder.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { AddIssuesBody, EditIssueBody, IssuePath, ReorderIssuesBody, SessionPath } from '../../shared/schemas/sessions.js';
import { issuesFromPastedText } from '../../shared/domain/pasted-issues.js';
import { newId } from '../../shared/security/tokens.js';
import { commitRoomChange } from '../../shared/store/sessions.js';
import { prepareInsightWrites } from '../../shared/rooms/issue-insights.js';
import { getIssue, listIssues, writeNewIssue, writeIssueUpdate, writeIssueDelete, type IssueRecord } from '../../shared/store/issues.js';
import { moderate } from './moderate.js';
import { MAX_ISSUES_PER_SESSION } from '../../shared/domain/limits.js';
import { jiraLinkView } from '../../shared/domain/jira-link.js';
import { tallyShift } from '../../shared/domain/write-back-tally.js';

const MUTATION_LIMIT: RateLimit = { name: 'sessions:mutate:principal', max: 600, windowS: 600 };
const limits = (_in: unknown, ctx: { principal?: { uid: string }; clientNetwork: string }) => [{ limit: MUTATION_LIMIT, subject: ctx.principal?.uid ?? ctx.clientNetwork }];

const issueNotFound = () => new HttpError('not_found', 'No such issue in this session.');

function issueView(i: IssueRecord) {
  return { id: i.id, title: i.title, description: i.description, order: i.order, rounds: i.rounds, finalEstimate: i.finalEstimate, jira: jiraLinkView(i.jira) };
}

const add = defineRoute({
  method: 'POST', path: '/api/sessions/:id/issues', permission: 'session.moderate', params: SessionPath, body: AddIssuesBody, rateLimits: limits,
  async handler({ params, body }, ctx) {
    let items: { title: string; description: string }[];
    if ('text' in body) {
      const pasted = issuesFromPastedText(body.text);
      if (!pasted.ok) throw new HttpError('invalid_request', pasted.problem, { issues: [{ path: 'body.text', message: pasted.problem }] });
      items = pasted.titles.map((title) => ({ title, description: '' }));
    } else {
      items = body.issues.map((i) => ({ title: i.title, description: i.description ?? '' }));
    }
    if (items.length > 200) throw new HttpError('invalid_request', 'Add at most 200 issues at once.');
    const created = await moderate(params.id, ctx, async (s) => {
      if (s.record.issueCount + items.length > MAX_ISSUES_PER_SESSION) {
        throw new HttpError('limit_reached', `A session holds at most ${MAX_ISSUES_PER_SESSION} issues; it has ${s.record.issueCount}.`);
      }
      const records: IssueRecord[] = items.map((item, n) => ({
        id: newId(), tenantId: s.record.tenantId, title: item.title, description: item.description, order: s.record.nextIssueOrder + n,
        rounds: 0, finalEstimate: null, estimatedAt: null, jira: null, createdAt: ctx.now,
      }));
      await commitRoomChange(s, {
        fields: { nextIssueOrder: s.record.nextIssueOrder + items.length }, issues: true, issueCountDelta: items.length,
        writes: (batch) => records.reduce((n, r) => n + writeNewIssue(batch, s.record.id, r), 0),
      }, ctx.now);
      return records;
    });
    return { status: 201, body: { issues: created.map(issueView) } };
  },
});

const edit = defineRoute({
  method: 'PATCH', path: '/api/sessions/:id/issues/:issueId', permission: 'session.moderate', params: IssuePath, body: EditIssueBody, rateLimits: limits,
  async handler({ params, body }, ctx) {
    const issue = await moderate(params.id, ctx, async (s) => {
      const found = await getIssue(s.record.id, params.issueId);
      if (!found || found.tenantId !== s.record.tenantId) throw issueNotFound();
      const fields = { ...(body.title !== undefined && { title: body.title }), ...(body.description !== undefined && { description: body.description }) };
      await commitRoomChange(s, { issues: true, writes: (batch) => writeIssueUpdate(batch, s.record.id, found.id, fields) }, ctx.now);
      return { ...found, ...fields };
    });
    return { body: { issue: issueView(issue) } };
  },
});

const remove = defineRoute({
  method: 'DELETE', path: '/api/sessions/:id/issues/:issueId', permission: 'session.moderate', params: IssuePath, rateLimits: limits,
  async handler({ params }, ctx) {
    await moderate(params.id, ctx, async (s) => {
      const found = await getIssue(s.record.id, params.issueId);
      if (!found || found.tenantId !== s.record.tenantId) throw issueNotFound();
      const wasCurrent = s.record.currentIssueId === found.id;
      // A deleted finalized issue leaves the insight aggregates.
      const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, [{ before: found, after: found, clientId: s.record.clientId, deleted: true }]);
      await commitRoomChange(s, {
        fields: wasCurrent ? { currentIssueId: null, round: 0, revealed: false } : undefined,
        issues: true, issueCountDelta: -1, writeBackShift: tallyShift(found, null), writes: (batch) => writeIssueDelete(batch, s.record.id, found.id) + insight.write(batch),
      }, ctx.now);
    });
    return { status: 204 };
  },
});

const reorder = defineRoute({
  method: 'PUT', path: '/api/sessions/:id/issues/order', permission: 'session.moderate', params: SessionPath, body: ReorderIssuesBody, rateLimits: limits,
  async handler({ params, body }, ctx) {
    await moderate(params.id, ctx, async (s) => {
      const issues = await listIssues(s.record.id, s.record.tenantId);
      const wanted = new Set(body.issueIds);
      if (wanted.size !== body.issueIds.length || wanted.size !== issues.length || issues.some((i) => !wanted.has(i.id))) {
        throw new HttpError('invalid_request', 'List every issue of the session exactly once.', { issues: [{ path: 'body.issueIds', message: 'Not a permutation of the session\'s issues.' }] });
      }
      const orderOf = new Map(body.issueIds.map((id, n) => [id, n]));
      const moved = issues.filter((i) => i.order !== orderOf.get(i.id));
      await commitRoomChange(s, {
        fields: { nextIssueOrder: body.issueIds.length }, issues: true,
        writes: (batch) => moved.reduce((n, i) => n + writeIssueUpdate(batch, s.record.id, i.id, { order: orderOf.get(i.id)! }), 0),
      }, ctx.now);
    });
    return { status: 204 };
  },
});

export const issueRoutes: Route[] = [add, reorder, edit, remove];
