// The app's Forge functions (manifest.yml `function` handlers): each hands the platform to a handler.
import Resolver from '@forge/resolver';
import { forgePlatform as platform } from './forge-platform.js';
import { onIssueEvent as issueEvent, requestEstimate, type IssueEvent } from './issues.js';
import { pullEstimates as pull } from './write-back.js';
import { bindSite, boundCloudId, reportUninstalled, rotateSecret } from './reckon.js';

/** Trigger: avi:jira:updated:issue, avi:jira:deleted:issue. */
export const onIssueEvent = (event: IssueEvent) => issueEvent(platform, event);

/** Scheduled trigger: writes final estimates into Jira and reports the outcomes. */
export const pullEstimates = async () => { await pull(platform); return { statusCode: 204 }; };

/** preUninstall: tells Reckon, which revokes the installation (best effort: Forge ignores a failure). */
export const onUninstall = async () => { await reportUninstalled(platform); };

// One resolver per page: any Jira user who can open the issue action can call its resolver's
// functions by name, so binding and rotation live only behind the admin page (Jira admins only).
const admin = new Resolver();
// Admin page: bind this site with a connect code from Reckon, fetch a new secret, show the state.
admin.define('bind', async ({ payload }) => bindSite(platform, String((payload as { code?: unknown }).code ?? '')));
admin.define('rotate', async () => { await rotateSecret(platform); return { rotated: true }; });
admin.define('status', async () => ({ bound: (await boundCloudId(platform)) !== undefined }));
export const adminHandler = admin.getDefinitions();

const action = new Resolver();
// Issue action: ask Reckon for an estimate of this issue.
action.define('requestEstimate', async ({ context }) => {
  const issue = (context.extension as { issue?: { key?: string } }).issue;
  if (!issue?.key) throw new Error('No issue in this context.');
  return requestEstimate(platform, issue.key, String(context.siteUrl ?? ''));
});
export const actionHandler = action.getDefinitions();
