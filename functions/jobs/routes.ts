// The jobs function: work Cloud Scheduler starts, each call carrying an OIDC token of the
// scheduler's service account (no browser ever calls these; no cookie, no Origin).
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { log } from '../../shared/http/log.js';
import { verifySchedulerToken, SchedulerAuthError } from '../../shared/security/oidc.js';
import { runJiraSync } from '../../shared/jobs/jira-sync.js';

const jiraSync = defineRoute({
  method: 'POST', path: '/api/jobs/jira-sync', permission: 'scheduler',
  async handler(_input, ctx) {
    try {
      await verifySchedulerToken(ctx.authorization, ctx.config, ctx.now);
    } catch (e) {
      if (e instanceof SchedulerAuthError) throw new HttpError('unauthenticated', 'Only the scheduler runs jobs.');
      throw e;
    }
    const report = await runJiraSync(ctx.now);
    if (report.failed.length) log('WARNING', 'jira sync: connections failed', { requestId: ctx.requestId, failed: report.failed });
    // A run already in progress answers 200 with `skipped`: nothing failed, so no scheduler retry.
    return { body: { report } };
  },
});

export const jobRoutes: Route[] = [jiraSync];
