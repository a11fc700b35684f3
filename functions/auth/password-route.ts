// Changing one's password: the current one proves it is the account's owner (not just someone
// holding a cookie); every other session of the user ends (refresh families revoked, access
// tokens ended by the epoch, device tokens by the new credential generation), only the network
// it is made from stays a known network of the account, and this browser gets fresh tokens in a
// new family.
import { defineRoute } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ChangePasswordBody } from '../../shared/schemas/auth.js';
import { onlyNetwork } from '../../shared/domain/known-networks.js';
import { hashPassword, verifyPassword } from '../../shared/security/passwords.js';
import { getUserAsRead, changePassword } from '../../shared/store/users.js';
import { revokeAllOfUser } from '../../shared/store/refresh-tokens.js';
import { newId } from '../../shared/security/tokens.js';
import { LOGIN_LIMITS } from './account-routes.js';
import { issueSession, deviceTokenFor } from './session-tokens.js';

/** Guessing the current password with a stolen cookie is as slow as guessing it at sign-in. */
const PASSWORD_BY_ACCOUNT: RateLimit = { name: 'password:account', max: 10, windowS: 900 };

export const changeMyPassword = defineRoute({
  method: 'POST', path: '/api/auth/password', permission: 'account', body: ChangePasswordBody,
  rateLimits: (_in, ctx) => [{ limit: LOGIN_LIMITS.loginByIp, subject: ctx.clientNetwork }, { limit: PASSWORD_BY_ACCOUNT, subject: ctx.principal!.uid }],
  async handler({ body }, ctx) {
    const uid = ctx.principal!.uid;
    const seen = await getUserAsRead(uid);
    if (!seen) throw new HttpError('unauthenticated', 'This account no longer exists.');
    if (!(await verifyPassword(seen.user.passwordHash, body.currentPassword))) throw new HttpError('invalid_credentials', 'The current password is not right.');
    if (body.newPassword === body.currentPassword) {
      throw new HttpError('invalid_request', 'Choose a password other than the current one.', { issues: [{ path: 'body.newPassword', message: 'Same as the current password.' }] });
    }
    const passwordHash = await hashPassword(body.newPassword);
    // Sessions are valid from the commit, not from this request's start: a sign-in that read the
    // old hash while the checks and hashing above ran (argon2, tens of ms) started its family
    // after ctx.now and would outlive the change. The clock is read after hashing, just before
    // the commit; what is left is a sign-in that starts during the commit's round trip itself.
    const validFrom = Date.now();
    // Of two changes at once exactly one lands; the other is refused and changes nothing.
    // Whoever knew the old password no longer skips the slow-down from their network.
    if (!(await changePassword(seen, passwordHash, onlyNetwork(ctx.ownNetwork, ctx.now), validFrom))) {
      throw new HttpError('conflict', 'Your account changed meanwhile; sign in again and retry.');
    }
    const family = { id: newId(), startedAt: validFrom };
    await revokeAllOfUser(uid, ctx.now, family.id);
    const session = await issueSession({ uid, accessEpoch: seen.user.accessEpoch + 1 }, ctx.config, ctx.now, family);
    // The change ends every device token made before it; this browser, which just proved the
    // password, stays a known device.
    const device = await deviceTokenFor({ uid, sessionsValidFrom: validFrom }, ctx.session?.device, ctx.config, ctx.now);
    return { status: 204, session: { ...session, device } };
  },
});
