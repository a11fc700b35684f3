// Register, log in, log out, refresh: the routes that create and end sessions.
import { createHash } from 'node:crypto';
import { defineRoute, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { log } from '../../shared/http/log.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { RegisterBody, LoginBody } from '../../shared/schemas/auth.js';
import { normalizeEmail, personalTenantName } from '../../shared/domain/accounts.js';
import { hashPassword, verifyPassword, verifyAgainstDummy } from '../../shared/security/passwords.js';
import { newId, parseRefreshToken, refreshSecretMatches } from '../../shared/security/tokens.js';
import { isKnownDeviceOf, verifyDeviceToken } from '../../shared/security/device-tokens.js';
import { afterSignIn, isKnownNetwork } from '../../shared/domain/known-networks.js';
import { createAccount, findUserByEmailAsRead, getUser, rememberNetworks, EmailTakenError, type UserRecord } from '../../shared/store/users.js';
import { familyEnded, getRefreshToken, markRotated } from '../../shared/store/refresh-tokens.js';
import { issueSession, endSessionFamily, deviceTokenFor, type SignedInSession } from './session-tokens.js';
import { publicUser } from './views.js';

export const LOGIN_LIMITS = {
  registerByIp: { name: 'register:ip', max: 20, windowS: 3600 },
  // Guessing is stopped per address and per address and account (walls of 15 minutes; an
  // address is its network: an IPv6 /64); the per-account limit, which anyone anywhere can use
  // up, only slows guessing across many addresses: its window is a minute, so the owner is never
  // shut out for long, and a sign-in from a network the account is known on skips it (docs/security.md).
  loginByIp: { name: 'login:ip', max: 30, windowS: 900 },
  loginByIpAndAccount: { name: 'login:ip-account', max: 10, windowS: 900 },
  loginByAccount: { name: 'login:account', max: 10, windowS: 60 },
  // A known device of the account (it proved the current password there before) is exempt from
  // the three above, which an attacker can use up, and has limits of its own instead: its own
  // lockout, a cap per address on password checks, and one per account over all its devices
  // (shared/security/device-tokens.ts).
  loginByKnownDevice: { name: 'login:device', max: 10, windowS: 900 },
  knownDeviceLoginsByIp: { name: 'login:ip-known', max: 100, windowS: 900 },
  knownDeviceLoginsByAccount: { name: 'login:account-known', max: 30, windowS: 900 },
  refreshByIp: { name: 'refresh:ip', max: 120, windowS: 60 },
} satisfies Record<string, RateLimit>;
const LIMITS = LOGIN_LIMITS;

const emailKey = (email: string) => createHash('sha256').update(normalizeEmail(email)).digest('hex');

type AccountAsRead = { user: UserRecord; updateTime: FirebaseFirestore.Timestamp } | undefined;
/** The account a login names, read once per request: the limits read it (known device, known network), the handler after. */
const accountsRead = new WeakMap<HandlerContext, Promise<AccountAsRead>>();
function accountOf(email: string, ctx: HandlerContext): Promise<AccountAsRead> {
  let read = accountsRead.get(ctx);
  if (!read) accountsRead.set(ctx, read = findUserByEmailAsRead(normalizeEmail(email)));
  return read;
}

/** A new session for a password just proven, and this browser made a known device of the account. */
async function signedIn(user: { uid: string; accessEpoch: number; sessionsValidFrom: number }, ctx: HandlerContext): Promise<SignedInSession> {
  return { ...(await issueSession(user, ctx.config, ctx.now)), device: await deviceTokenFor(user, ctx.session?.device, ctx.config, ctx.now) };
}

export const register = defineRoute({
  method: 'POST', path: '/api/auth/register', permission: 'public', body: RegisterBody,
  rateLimits: (_in, ctx) => [{ limit: LIMITS.registerByIp, subject: ctx.clientNetwork }],
  async handler({ body }, ctx) {
    const user = {
      uid: newId(), email: normalizeEmail(body.email), displayName: body.displayName, passwordHash: await hashPassword(body.password), createdAt: ctx.now,
      knownNetworks: afterSignIn({}, ctx.ownNetwork, ctx.now) ?? {},
    };
    const tenant = { tenantId: newId(), name: personalTenantName(body.displayName) };
    try {
      await createAccount({ user, tenant });
    } catch (e) {
      if (e instanceof EmailTakenError) throw new HttpError('email_taken', 'An account with this email already exists. Sign in instead.');
      throw e;
    }
    const session = await signedIn({ uid: user.uid, accessEpoch: 0, sessionsValidFrom: 0 }, ctx);
    return { status: 201, body: { user: publicUser(user), tenant: { tenantId: tenant.tenantId, name: tenant.name, role: 'admin' } }, session };
  },
});

export const login = defineRoute({
  method: 'POST', path: '/api/auth/login', permission: 'public', body: LoginBody,
  rateLimits: async ({ body }, ctx) => {
    const account = emailKey(body.email);
    const [claim, read] = await Promise.all([verifyDeviceToken(ctx.session?.device, ctx.config, ctx.now), accountOf(body.email, ctx)]);
    if (claim && isKnownDeviceOf(claim, read?.user)) {
      return [
        { limit: LIMITS.knownDeviceLoginsByIp, subject: ctx.clientNetwork },
        { limit: LIMITS.knownDeviceLoginsByAccount, subject: account },
        { limit: LIMITS.loginByKnownDevice, subject: claim.deviceId },
      ];
    }
    const walls = [
      { limit: LIMITS.loginByIp, subject: ctx.clientNetwork },
      { limit: LIMITS.loginByIpAndAccount, subject: `${ctx.clientNetwork}\u0000${account}` },
    ];
    // From a network the account signed in from with its password, the walls alone: the
    // slow-down, which an attacker anywhere can keep triggering, does not hold up the owner there.
    // Not while the address may be a proxy's (production before Hosting's ranges are set: no ownNetwork).
    if (read && isKnownNetwork(read.user.knownNetworks, ctx.ownNetwork, ctx.now)) return walls;
    return [...walls, { limit: LIMITS.loginByAccount, subject: account }];
  },
  async handler({ body }, ctx) {
    const read = await accountOf(body.email, ctx);
    const ok = read ? await verifyPassword(read.user.passwordHash, body.password) : await verifyAgainstDummy(body.password);
    if (!read || !ok) throw new HttpError('invalid_credentials', 'The email or password is not right.');
    const { user } = read;
    // The network becomes (or stays) known: written only when new or last seen over a day ago.
    // Best-effort: the password was right, so no failure of this write fails the sign-in (its
    // refresh token is saved alongside, and a failed response would leave that family unused);
    // the next sign-in tries again.
    const networks = afterSignIn(user.knownNetworks, ctx.ownNetwork, ctx.now);
    const [session] = await Promise.all([signedIn(user, ctx), networks && rememberNetworks(read, networks).catch((e: unknown) => {
      // The error's code only: its message names the user's document.
      log('WARNING', 'known network not recorded', { requestId: ctx.requestId, code: (e as { code?: unknown }).code ?? 'unknown' });
    })]);
    return { body: { user: publicUser(user) }, session };
  },
});

export const logout = defineRoute({
  method: 'POST', path: '/api/auth/logout', permission: 'public',
  async handler(_in, ctx) {
    const parsed = ctx.session?.user && parseRefreshToken(ctx.session.user.refreshToken);
    const record = parsed && (await getRefreshToken(parsed.id));
    if (parsed && record && refreshSecretMatches(parsed.secret, record.hash)) await endSessionFamily(record, ctx.config, ctx.now);
    return { status: 204, session: 'clear' };
  },
});

export const refresh = defineRoute({
  method: 'POST', path: '/api/auth/refresh', permission: 'public',
  rateLimits: (_in, ctx) => [{ limit: LIMITS.refreshByIp, subject: ctx.clientNetwork }],
  async handler(_in, ctx) {
    const signedOut = () => new HttpError('unauthenticated', 'Your session has ended. Sign in again.');
    const parsed = ctx.session?.user && parseRefreshToken(ctx.session.user.refreshToken);
    const record = parsed && (await getRefreshToken(parsed.id));
    if (!parsed || !record || !refreshSecretMatches(parsed.secret, record.hash)) throw signedOut();
    if (record.revokedAt !== undefined || record.expiresAt <= ctx.now) throw signedOut();
    if (record.rotatedAt !== undefined) {
      // A token used twice was stolen or replayed: end every session of its family.
      await endSessionFamily(record, ctx.config, ctx.now);
      log('WARNING', 'refresh token reuse; family revoked', { requestId: ctx.requestId });
      throw signedOut();
    }
    if (!(await markRotated(record, ctx.now))) throw signedOut();
    const user = await getUser(record.uid);
    // A password change ends every family started before it (even one whose refresh raced it).
    if (!user || record.familyStartedAt < user.sessionsValidFrom) throw signedOut();
    // Read after the epoch: a logout that this read misses ends the token made here by its epoch
    // step, and the next refresh of the family reads the mark.
    if (await familyEnded(record.familyId)) throw signedOut();
    return { body: { user: publicUser(user) }, session: await issueSession(user, ctx.config, ctx.now, { id: record.familyId, startedAt: record.familyStartedAt }) };
  },
});
