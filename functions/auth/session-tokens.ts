// Issues the pair of tokens the session cookie carries: a fresh access token with the user's
// current roles and access epoch, and a refresh token in a new or continuing family.
import type { Config } from '../../shared/config/config.js';
import { signAccessToken, newRefreshToken, newId } from '../../shared/security/tokens.js';
import { signDeviceToken, verifyDeviceToken } from '../../shared/security/device-tokens.js';
import { saveRefreshToken, revokeFamily } from '../../shared/store/refresh-tokens.js';
import { endAccessTokens } from '../../shared/store/users.js';
import { listMembershipsOfUser, rolesOf } from '../../shared/store/memberships.js';
import type { UserTokens } from '../../shared/http/cookies.js';

/** The session change of a sign-in: the user's tokens and how long the cookie keeps them. */
export interface SignedInSession { set: UserTokens; maxAgeS: number; device?: string }

/**
 * The user's epoch must have been read before this reads the roles: a role change that lands in
 * between then ends the token it makes, instead of leaving old roles in a current token.
 */
export async function issueSession(user: { uid: string; accessEpoch: number }, config: Config, now: number, family: { id: string; startedAt: number } = { id: newId(), startedAt: now }): Promise<SignedInSession> {
  const { uid, accessEpoch: epoch } = user;
  const familyId = family.id;
  const roles = rolesOf(await listMembershipsOfUser(uid));
  const refresh = newRefreshToken();
  await saveRefreshToken({ id: refresh.id, uid, familyId, familyStartedAt: family.startedAt, hash: refresh.hash, expiresAt: now + config.refreshTokenTtlS * 1000, createdAt: now });
  const accessToken = await signAccessToken({ kind: 'user', uid, roles, epoch }, config, now);
  return { set: { accessToken, refreshToken: refresh.token }, maxAgeS: config.refreshTokenTtlS };
}

/**
 * Ends a signed-in session for good (logout, a refresh token used twice): its refresh family is
 * revoked and the user's access tokens end (every browser of theirs refreshes; this one cannot).
 * This instance refuses the old access tokens at once, others within ENDINGS_FEED_MS (shared/access/epochs.ts).
 */
export async function endSessionFamily(record: { uid: string; familyId: string }, config: Config, now: number): Promise<void> {
  await revokeFamily(record.familyId, now, config.refreshTokenTtlS * 1000);
  await endAccessTokens(record.uid);
}

/**
 * The device token for a browser that just proved the user's password (register, sign-in,
 * password change), as of the user's credentials now. A browser that was a device of this user
 * already keeps its device id, so proving the password again never resets its lockout.
 */
export async function deviceTokenFor(user: { uid: string; sessionsValidFrom: number }, cookieDevice: string | undefined, config: Config, now: number): Promise<string> {
  const claim = await verifyDeviceToken(cookieDevice, config, now);
  return signDeviceToken(user, config, now, claim?.uid === user.uid ? claim.deviceId : undefined);
}
