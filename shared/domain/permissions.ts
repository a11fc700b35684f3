// Who may do what: the one permission table (docs/api.md "Permissions" is rendered from it).
// Every route names one permission; shared/access applies it to the thing the route touches.
// Pure: no I/O. A caller is described by the credential they present and their standing toward
// the thing (its team, its session).

/** What the request carries: nothing valid, an ended user token, a user token, only guest tokens, a Forge signature, a scheduler OIDC token. */
export type Credential = 'none' | 'ended' | 'user' | 'guest' | 'forge' | 'scheduler';

/**
 * The caller's standing toward the thing: none (a stranger, another team's admin, a guest of
 * another session), a member or admin of its team, the session's owner (a member of its team),
 * a guest of this session, a portal user of this one client (`client`: issue #17, granted by a
 * redeemed portal link, read fresh on every call).
 */
export type Standing = 'none' | 'member' | 'admin' | 'owner' | 'guest' | 'client';

/** What a route needs before its thing is even looked at. */
export type SignIn = 'none' | 'user' | 'participant' | 'forge' | 'scheduler';

export interface PermissionRule {
  /** What the permission covers, for the docs. */
  what: string;
  signIn: SignIn;
  /** Standings allowed; `any` for routes whose thing is the caller's own or nothing at all. */
  allow: readonly Standing[] | 'any';
  /** Standings that may know the thing exists, refused with 403; every other standing gets 404. */
  forbid?: readonly Standing[];
}

export const PERMISSIONS = {
  public: { what: 'anyone: sign up, sign in, refresh, sign out, join a room by code', signIn: 'none', allow: 'any' },
  account: { what: "the signed-in user's own account (me, export, erase, password) and what it starts: a new team, accepting an invite", signIn: 'user', allow: 'any' },
  'team.read': { what: "a team's things for its members: the team and its members, leaving it, sessions list, new session, Jira connections and browsing", signIn: 'user', allow: ['member', 'admin', 'owner'] },
  'team.admin': { what: "a team's settings and people: name, invites, roles, removal, audit log, Jira connections, Forge connect codes and installations", signIn: 'user', allow: ['admin'], forbid: ['member', 'owner'] },
  'session.read': { what: 'a session and its results for the members of its team', signIn: 'user', allow: ['member', 'admin', 'owner'] },
  'session.participate': { what: 'the room: poll, join, leave, vote', signIn: 'participant', allow: ['member', 'admin', 'owner', 'guest'] },
  'session.moderate': { what: 'running the room: agenda, rounds, close, import from Jira', signIn: 'user', allow: ['owner', 'admin'], forbid: ['member'] },
  'portal.client': { what: "a client's portal for its portal users: the client's finalized estimates, approvals", signIn: 'user', allow: ['client'] },
  'forge.attested': { what: 'calls the Forge app makes through Forge Remote with an invocation token Atlassian signed (bind its site, fetch a new secret)', signIn: 'forge', allow: 'any' },
  'forge.signed': { what: 'calls a Forge installation signs (its own team only)', signIn: 'forge', allow: 'any' },
  scheduler: { what: 'scheduled jobs (Cloud Scheduler OIDC only)', signIn: 'scheduler', allow: 'any' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

export type Decision = { allow: true } | { allow: false; status: 401 | 403 | 404; code: 'unauthenticated' | 'token_expired' | 'forbidden' | 'not_found' };

const CREDENTIALS_FOR: Record<SignIn, readonly Credential[]> = {
  none: ['none', 'ended', 'user', 'guest', 'forge', 'scheduler'],
  user: ['user'],
  participant: ['user', 'guest'],
  forge: ['forge'],
  scheduler: ['scheduler'],
};

/** Whether a caller with this credential gets past the route's sign-in at all (else 401). */
export function signedInFor(permission: Permission, credential: Credential): boolean {
  return CREDENTIALS_FOR[PERMISSIONS[permission].signIn].includes(credential);
}

/** The refusal for a credential that does not get past sign-in: an ended user token asks the browser to refresh. */
export function signInRefusal(credential: Credential): Decision {
  return credential === 'ended' ? { allow: false, status: 401, code: 'token_expired' } : { allow: false, status: 401, code: 'unauthenticated' };
}

/** Decides a call: sign-in first (401), then the standing: allowed, 403 for those who may know the thing, 404 for everyone else. */
export function decide(permission: Permission, credential: Credential, standing: Standing): Decision {
  const rule: PermissionRule = PERMISSIONS[permission];
  if (!signedInFor(permission, credential)) {
    // A cookie, ended or not, is never a credential where a signature or an OIDC token is.
    return rule.signIn === 'forge' || rule.signIn === 'scheduler' ? signInRefusal('none') : signInRefusal(credential);
  }
  if (rule.allow === 'any' || rule.allow.includes(standing)) return { allow: true };
  if (rule.forbid?.includes(standing)) return { allow: false, status: 403, code: 'forbidden' };
  return { allow: false, status: 404, code: 'not_found' };
}

/** The personas docs/api.md shows and the generated route test plays, with what they present. */
export const PERSONAS = [
  { name: 'anonymous', credential: 'none', standing: 'none' },
  { name: 'stranger', credential: 'user', standing: 'none' },
  { name: "other team's admin", credential: 'user', standing: 'none' },
  { name: 'member', credential: 'user', standing: 'member' },
  { name: 'admin', credential: 'user', standing: 'admin' },
  { name: 'session owner', credential: 'user', standing: 'owner' },
  { name: 'guest of this session', credential: 'guest', standing: 'guest' },
  { name: 'guest of another session', credential: 'guest', standing: 'none' },
  { name: 'removed member (old cookie)', credential: 'ended', standing: 'none' },
  { name: 'demoted admin (old cookie)', credential: 'ended', standing: 'member' },
  { name: 'demoted admin (refreshed)', credential: 'user', standing: 'member' },
  { name: 'erased user', credential: 'none', standing: 'none' },
  { name: 'logged-out cookie', credential: 'ended', standing: 'admin' },
  { name: 'portal user of this client', credential: 'user', standing: 'client' },
  { name: 'portal user of another client', credential: 'user', standing: 'none' },
] as const satisfies readonly { name: string; credential: Credential; standing: Standing }[];

/** Callers the docs show beside the personas: the matrix plays these through their own tests (Forge, jobs). */
const OTHER_CALLERS = [
  { name: 'Forge app (signed request, or invocation token)', credential: 'forge', standing: 'none' },
  { name: 'Cloud Scheduler (OIDC token)', credential: 'scheduler', standing: 'none' },
] as const satisfies readonly { name: string; credential: Credential; standing: Standing }[];

const CELL = (d: Decision) => (d.allow ? 'yes' : d.code === 'token_expired' ? '401 expired' : `${d.status}`);

/** The permission table as Markdown (docs/api.md between the permission-table markers). */
export function permissionTableMarkdown(): string {
  const names = Object.keys(PERMISSIONS) as Permission[];
  const head = `| persona | ${names.map((n) => `\`${n}\``).join(' | ')} |`;
  const rule = `|---|${names.map(() => '---').join('|')}|`;
  const rows = [...PERSONAS, ...OTHER_CALLERS].map((p) => `| ${p.name} | ${names.map((n) => CELL(decide(n, p.credential, p.standing))).join(' | ')} |`);
  const what = names.map((n) => `- \`${n}\` (${PERMISSIONS[n].signIn === 'none' ? 'no sign-in' : `sign-in: ${PERMISSIONS[n].signIn}`}): ${PERMISSIONS[n].what}.`);
  return [head, rule, ...rows, '', ...what].join('\n');
}
