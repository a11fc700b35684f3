// The jobs function: work Cloud Scheduler starts, each call carrying an OIDC token of the
// scheduler's service account (no browser ever calls these; no cookie, no Origin).
import * as z from 'zod';
import { defineRoute, type HandlerContext, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { log } from '../../shared/http/log.js';
import { verifySchedulerToken, SchedulerAuthError } from '../../shared/security/oidc.js';
import { runJiraSync } from '../../shared/jobs/jira-sync.js';
import { runRetention } from '../../shared/jobs/retention.js';
import { runInsightsBackfill } from '../../shared/jobs/insights-backfill.js';

async function requireScheduler(ctx: HandlerContext): Promise<void> {
  try {
    await verifySchedulerToken(ctx.authorization, ctx.config, ctx.now);
  } catch (e) {
    if (e instanceof SchedulerAuthError) throw new HttpError('unauthenticated', 'Only the scheduler runs jobs.');
    throw e;
  }
}

const jiraSync = defineRoute({
  method: 'POST', path: '/api/jobs/jira-sync', permission: 'scheduler',
  async handler(_input, ctx) {
    await requireScheduler(ctx);
    const report = await runJiraSync(ctx.now);
    if (report.failed.length) log('WARNING', 'jira sync: connections failed', { requestId: ctx.requestId, failed: report.failed });
    // A run already in progress answers 200 with `skipped`: nothing failed, so no scheduler retry.
    return { body: { report } };
  },
});

/** The scheduler sends no body; a smaller bound may be given (an operator's manual run, the tests). */
const RetentionBody = z.object({
  maxSessions: z.number().int().min(1).max(500).optional(),
  maxDeletes: z.number().int().min(1).max(20_000).optional(),
}).strict().optional();

const retention = defineRoute({
  method: 'POST', path: '/api/jobs/retention', permission: 'scheduler', body: RetentionBody,
  async handler({ body }, ctx) {
    await requireScheduler(ctx);
    const report = await runRetention(ctx.now, body ?? {});
    log('INFO', 'retention run', { requestId: ctx.requestId, ...report });
    return { body: { report } };
  },
});

/** The insights backfill (issue #19): run once after deploying insights, then whenever the aggregates need checking. */
const BackfillBody = z.object({ maxSessions: z.number().int().min(1).max(500).optional() }).strict().optional();

const insightsBackfill = defineRoute({
  method: 'POST', path: '/api/jobs/insights-backfill', permission: 'scheduler', body: BackfillBody,
  async handler({ body }, ctx) {
    await requireScheduler(ctx);
    const report = await runInsightsBackfill(ctx.now, body ?? {});
    log('INFO', 'insights backfill run', { requestId: ctx.requestId, ...report });
    return { body: { report } };
  },
});

export const jobRoutes: Route[] = [jiraSync, retention, insightsBackfill];
