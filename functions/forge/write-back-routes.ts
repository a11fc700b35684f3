// Write-back: the Forge app writes final estimates into Jira with its own permission (Reckon never
// writes to Jira) and reports each outcome here, signed; the room shows it ("in Jira ✓", "kept the
// value set by hand", "failed: …"), and a moderator can ask for another try.
import { defineRoute, parseBody, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { WriteBackBody, WriteBackRetryPath, WriteBackSessionPath } from '../../shared/schemas/forge.js';
import type { WriteBack } from '../../shared/domain/room-state.js';
import { getIssue, listIssues, writeJiraWriteBack, type IssueRecord } from '../../shared/store/issues.js';
import { sumShifts, tallyKeyOf, tallyShift, type TallyShift } from '../../shared/domain/write-back-tally.js';
import { commitRoomChange, withFreshSession } from '../../shared/store/sessions.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { verifySignedRequest } from './signed-request.js';
import { forgeLimits, once } from './webhook-routes.js';

type Outcome = ReturnType<typeof parseBody<typeof WriteBackBody>>['outcomes'][number];

/** The issue as it is once this outcome is recorded on it. */
const withWriteBack = (i: IssueRecord, w: WriteBack): IssueRecord => ({ ...i, jira: { ...i.jira!, writeBack: w } });

/**
 * The outcomes to record, each with the issue it applies to, in order (a later outcome for the same
 * issue replaces an earlier one, so the counters move once per issue, from what it was to what it
 * ends as): those about the issue's current estimate, and a write of an older one (the team changed
 * or cleared it during the app's run) so that lastWrittenEstimate says what Jira holds and the next
 * run may replace it.
 */
function applyOutcomes(issues: Map<string, IssueRecord>, outcomes: Outcome[], now: number): { writes: Map<string, WriteBack>; recorded: string[]; shift: TallyShift } {
  const start = new Map(issues);
  const writes = new Map<string, WriteBack>();
  const recorded: string[] = [];
  for (const o of outcomes) {
    const i = issues.get(o.issueId);
    if (i?.jira?.key !== o.key || (i.finalEstimate !== o.estimate && o.status !== 'written')) continue;
    const w: WriteBack = { status: o.status, estimate: o.estimate, message: o.message, at: now };
    issues.set(o.issueId, withWriteBack(i, w));
    writes.set(o.issueId, w);
    recorded.push(o.issueId);
  }
  return { writes, recorded, shift: sumShifts([...writes.keys()].map((id) => tallyShift(start.get(id)!, issues.get(id)!))) };
}

/** Records the outcomes of one session, for issues of the installation's team. */
async function recordInSession(sessionId: string, tenantId: string, outcomes: Outcome[], now: number): Promise<string[]> {
  return withFreshSession(sessionId, async (s) => {
    if (!s || s.record.tenantId !== tenantId) return [];
    const { writes, recorded, shift } = applyOutcomes(new Map((await listIssues(sessionId, tenantId)).map((i) => [i.id, i])), outcomes, now);
    if (writes.size === 0) return [];
    await commitRoomChange(s, {
      issues: true, writeBackShift: shift,
      writes: (batch) => [...writes].reduce((n, [issueId, w]) => n + writeJiraWriteBack(batch, sessionId, issueId, w), 0),
    }, now);
    return recorded;
  });
}

const report = defineRoute({
  method: 'POST', path: '/api/forge/write-back', permission: 'forge.signed', rawBody: true, rateLimits: forgeLimits,
  async handler(_in, ctx) {
    const signed = await verifySignedRequest(ctx);
    const { outcomes } = parseBody(WriteBackBody, ctx.request.rawBody);
    const tenantId = signed.installation.record.tenantId;
    const recorded = await once(signed, ctx.now, async () => {
      const bySession = new Map<string, Outcome[]>();
      for (const o of outcomes) bySession.set(o.sessionId, [...(bySession.get(o.sessionId) ?? []), o]);
      const done: string[] = [];
      for (const [sessionId, list] of bySession) done.push(...(await recordInSession(sessionId, tenantId, list, ctx.now)));
      return done;
    });
    // A failure or skip about an estimate that changed meanwhile (or another team's issue) is not recorded.
    const ignored = outcomes.filter((o) => !recorded.includes(o.issueId)).map((o) => o.issueId);
    return { body: { delivery: signed.deliveryId, recorded: recorded.length, ignored } };
  },
});

const retry = defineRoute({
  method: 'POST', path: '/api/forge/write-backs/:sessionId/:issueId/retry', permission: 'session.moderate', params: WriteBackRetryPath,
  async handler({ params }, ctx) {
    const { stored } = await loadSessionFor(ctx, 'session.moderate', params.sessionId);
    // The issue is read after the session on every attempt: the counters move from what it is now.
    const next = await withFreshSession(params.sessionId, async (s) => {
      if (!s) throw new HttpError('not_found', 'No such session.');
      const issue = await getIssue(params.sessionId, params.issueId);
      if (!issue || issue.tenantId !== s.record.tenantId) throw new HttpError('not_found', 'No such issue.');
      const last = issue.jira?.writeBack;
      if (!last || issue.finalEstimate === null || last.status === 'written' || last.estimate !== issue.finalEstimate) {
        throw new HttpError('conflict', 'Only a write-back that failed or was skipped can be tried again.');
      }
      const w: WriteBack = { status: 'retry', estimate: last.estimate, message: '', at: ctx.now };
      await commitRoomChange(s, { issues: true, writeBackShift: tallyShift(issue, withWriteBack(issue, w)), writes: (batch) => writeJiraWriteBack(batch, params.sessionId, params.issueId, w) }, ctx.now);
      return w;
    }, stored);
    return { body: { writeBack: { status: next.status, estimate: next.estimate, message: '', at: new Date(ctx.now).toISOString() } } };
  },
});

/** Every failed write-back of the session is tried again at the app's next run (the sessions page's "Retry failed"). */
const retryFailed = defineRoute({
  method: 'POST', path: '/api/forge/write-backs/:sessionId/retry', permission: 'session.moderate', params: WriteBackSessionPath,
  async handler({ params }, ctx) {
    const { stored } = await loadSessionFor(ctx, 'session.moderate', params.sessionId);
    const retried = await withFreshSession(params.sessionId, async (s) => {
      if (!s) throw new HttpError('not_found', 'No such session.');
      const failed = (await listIssues(params.sessionId, s.record.tenantId)).filter((i) => tallyKeyOf(i) === 'failed');
      if (failed.length === 0) return 0;
      const next = (i: IssueRecord): WriteBack => ({ status: 'retry', estimate: i.finalEstimate!, message: '', at: ctx.now });
      await commitRoomChange(s, {
        issues: true, writeBackShift: { failed: -failed.length, pending: failed.length },
        writes: (batch) => failed.reduce((n, i) => n + writeJiraWriteBack(batch, params.sessionId, i.id, next(i)), 0),
      }, ctx.now);
      return failed.length;
    }, stored);
    return { body: { retried } };
  },
});

export const writeBackRoutes: Route[] = [report, retry, retryFailed];
