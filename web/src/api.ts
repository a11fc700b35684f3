// The site's one way to reach the API: JSON in and out, the session cookie sent by the browser,
// and one transparent refresh when the access token has expired.
import type { MeResponse, PublicUser } from '../../shared/schemas/auth.js';
import type { SessionView } from '../../shared/schemas/sessions.js';
import type { ConnectionView } from '../../shared/schemas/jira.js';
import type { InstallationView } from '../../shared/schemas/forge.js';
import type { InsightsView } from '../../shared/schemas/insights.js';
import type { AuditPage, CreatedInvite, InviteView, MembershipView as TeamMembershipView, TeamResponse, TeamRole, TeamView } from '../../shared/schemas/teams.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: { path: string; message: string }[] = []) { super(message); }
  /** The message for one field (`body.email` → 'email'). */
  fieldMessage(field: string): string | undefined {
    return this.issues.find((i) => i.path === `body.${field}`)?.message;
  }
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The refresh under way: requests that find their token expired at once share it (a second
 *  refresh would present a token the first just rotated, and lose). */
let refreshing: Promise<void> | undefined;

function refreshOnce(): Promise<void> {
  refreshing ??= send('POST', '/api/auth/refresh').then(() => undefined, () => undefined).finally(() => { refreshing = undefined; });
  return refreshing;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401 && (await peekCode(res)) === 'token_expired') {
    // Retried whatever the refresh answered: another tab may have refreshed the shared cookie.
    await refreshOnce();
    res = await send(method, path, body);
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, e?.code ?? 'network', e?.message ?? `The server answered ${res.status}.`, e?.issues);
  }
  return data as T;
}

async function peekCode(res: Response): Promise<string | undefined> {
  try { return (await res.clone().json())?.error?.code; } catch { return undefined; }
}

export const api = {
  register: (email: string, password: string, displayName: string) => request<{ user: PublicUser }>('POST', '/api/auth/register', { email, password, displayName }),
  login: (email: string, password: string) => request<{ user: PublicUser }>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<MeResponse>('GET', '/api/auth/me'),
  exportMe: () => request<unknown>('GET', '/api/auth/me/export'),
  eraseMe: (password: string) => request<void>('DELETE', '/api/auth/me', { password }),
  listSessions: (tenantId: string) => request<{ sessions: SessionView[] }>('GET', `/api/sessions?tenantId=${encodeURIComponent(tenantId)}`),
  createSession: (body: { tenantId: string; name: string; deck: string | { custom: string[] }; autoReveal: boolean }) => request<{ session: SessionView }>('POST', '/api/sessions', body),
  joinAsGuest: (joinCode: string, displayName: string, role: Role) =>
    request<{ session: { id: string; name: string }; asMember: boolean }>('POST', '/api/auth/guest', { joinCode, displayName, role }),
};

export type Role = 'voter' | 'spectator';

export type ImportSource = { jql: string } | { sprint: { boardId: number; sprintId: number } } | { keys: string[] };
export interface ImportResult { created: { id: string; key: string }[]; updated: { id: string; key: string }[]; missing: string[]; unavailable: string[] }

/** Jira connections of a team, and what can be read through one. */
export const jiraApi = {
  list: (tenantId: string) => request<{ connections: ConnectionView[] }>('GET', `/api/jira/connections?tenantId=${encodeURIComponent(tenantId)}`),
  connect: (body: { tenantId: string; siteUrl: string; email: string; apiToken: string }) => request<{ connection: ConnectionView }>('POST', '/api/jira/connections', body),
  test: (id: string) => request<{ connection: ConnectionView }>('POST', `/api/jira/connections/${encodeURIComponent(id)}/test`),
  remove: (id: string) => request<void>('DELETE', `/api/jira/connections/${encodeURIComponent(id)}`),
  boards: (id: string) => request<{ boards: { id: number; name: string; type: string }[] }>('GET', `/api/jira/connections/${encodeURIComponent(id)}/boards`),
  sprints: (id: string, boardId: number) => request<{ sprints: { id: number; name: string; state: string }[] }>('GET', `/api/jira/connections/${encodeURIComponent(id)}/boards/${boardId}/sprints`),
  count: (id: string, jql: string) => request<{ count: number }>('POST', `/api/jira/connections/${encodeURIComponent(id)}/count`, { jql }),
  import: (id: string, sessionId: string, source: ImportSource) => request<ImportResult>('POST', `/api/jira/connections/${encodeURIComponent(id)}/import`, { sessionId, ...source }),
};

export const forgeApi = {
  list: (tenantId: string) => request<{ installations: InstallationView[] }>('GET', `/api/forge/installations?tenantId=${encodeURIComponent(tenantId)}`),
  connectCode: (tenantId: string) => request<{ code: string; expiresAt: string }>('POST', '/api/forge/connect-codes', { tenantId }),
  retryFailedWriteBacks: (sessionId: string) => request<{ retried: number }>('POST', `/api/forge/write-backs/${encodeURIComponent(sessionId)}/retry`),
  retryWriteBack: (sessionId: string, issueId: string) => request<unknown>('POST', `/api/forge/write-backs/${encodeURIComponent(sessionId)}/${encodeURIComponent(issueId)}/retry`),
  revoke: (cloudId: string) => request<{ installation: InstallationView }>('POST', `/api/forge/installations/${encodeURIComponent(cloudId)}/revoke`),
};

/** The room's actions, each a POST/PUT/PATCH/DELETE on one session. */
export function roomApi(sessionId: string) {
  const base = `/api/sessions/${encodeURIComponent(sessionId)}`;
  return {
    join: (role: Role) => request<unknown>('POST', `${base}/join`, { role }),
    leave: () => request<void>('DELETE', `${base}/join`),
    vote: (issueId: string, round: number, value: string, note?: string | null) => request<unknown>('PUT', `/api/votes/${encodeURIComponent(sessionId)}`, { issueId, round, value, ...(note ? { note } : {}) }),
    retract: (issueId: string, round: number) => request<void>('DELETE', `/api/votes/${encodeURIComponent(sessionId)}?issueId=${encodeURIComponent(issueId)}&round=${round}`),
    addIssues: (text: string) => request<unknown>('POST', `${base}/issues`, { text }),
    editIssue: (issueId: string, title: string) => request<unknown>('PATCH', `${base}/issues/${encodeURIComponent(issueId)}`, { title }),
    deleteIssue: (issueId: string) => request<void>('DELETE', `${base}/issues/${encodeURIComponent(issueId)}`),
    reorder: (issueIds: string[]) => request<void>('PUT', `${base}/issues/order`, { issueIds }),
    setCurrent: (issueId: string) => request<unknown>('POST', `${base}/current`, { issueId }),
    reveal: (round: number) => request<unknown>('POST', `${base}/reveal`, { round }),
    revote: (round: number) => request<unknown>('POST', `${base}/revote`, { round }),
    finalize: (issueId: string, estimate: string | null) => request<unknown>('POST', `${base}/finalize`, { issueId, estimate }),
    close: () => request<unknown>('POST', `${base}/close`),
    reopen: () => request<unknown>('POST', `${base}/reopen`),
    resultsUrl: `${base}/results.csv`,
  };
}

/** Teams: members and roles, invite links, the audit log (docs/api.md "teams"). */
export const teamsApi = {
  create: (name: string) => request<{ team: TeamView }>('POST', '/api/teams', { name }),
  get: (tenantId: string) => request<TeamResponse>('GET', `/api/teams/${encodeURIComponent(tenantId)}`),
  rename: (tenantId: string, name: string) => request<{ team: TeamView }>('PATCH', `/api/teams/${encodeURIComponent(tenantId)}`, { name }),
  setRetention: (tenantId: string, sessionRetentionDays: number) => request<{ team: TeamView }>('PATCH', `/api/teams/${encodeURIComponent(tenantId)}`, { sessionRetentionDays }),
  setRole: (tenantId: string, uid: string, role: TeamRole) => request<unknown>('PATCH', `/api/teams/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(uid)}`, { role }),
  remove: (tenantId: string, uid: string) => request<void>('DELETE', `/api/teams/${encodeURIComponent(tenantId)}/members/${encodeURIComponent(uid)}`),
  invites: (tenantId: string) => request<{ invites: InviteView[] }>('GET', `/api/teams/${encodeURIComponent(tenantId)}/invites`),
  invite: (tenantId: string, body: { role: TeamRole; expiresInDays: number; maxUses: number }) => request<CreatedInvite>('POST', `/api/teams/${encodeURIComponent(tenantId)}/invites`, body),
  revokeInvite: (tenantId: string, id: string) => request<void>('DELETE', `/api/teams/${encodeURIComponent(tenantId)}/invites/${encodeURIComponent(id)}`),
  accept: (token: string) => request<{ membership: TeamMembershipView }>('POST', '/api/teams/invites/accept', { token }),
  audit: (tenantId: string, before?: string) => request<AuditPage>('GET', `/api/teams/${encodeURIComponent(tenantId)}/audit?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`),
  auditCsvUrl: (tenantId: string) => `/api/teams/${encodeURIComponent(tenantId)}/audit?format=csv`,
  /** New roles are in the access token only after a refresh. */
  refreshRoles: () => request<unknown>('POST', '/api/auth/refresh'),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),
};

/** Insights (issue #19): a team's (or one client's, for admins) and a client's for its portal users. */
export const insightsApi = {
  team: (tenantId: string, q: { from?: string; to?: string; clientId?: string }) => {
    const params = new URLSearchParams({ tenantId, ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), ...(q.clientId ? { clientId: q.clientId } : {}) });
    return request<InsightsView>('GET', `/api/insights?${params.toString()}`);
  },
  portal: (clientId: string) => request<InsightsView>('GET', `/api/insights/portal/${encodeURIComponent(clientId)}`),
  clients: (tenantId: string) => request<{ clients: { id: string; name: string }[] }>('GET', `/api/portal/clients?tenantId=${encodeURIComponent(tenantId)}`),
};
