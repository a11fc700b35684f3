// Issues the pair of tokens the session cookie carries: a fresh access token with the user's
// current roles, and a refresh token in a new or continuing family.
import type { Config } from '../../shared/config/config.js';
import { signAccessToken, newRefreshToken, newId } from '../../shared/security/tokens.js';
import { saveRefreshToken } from '../../shared/store/refresh-tokens.js';
import { listMembershipsOfUser, rolesOf } from '../../shared/store/memberships.js';
import type { HandlerResult } from '../../shared/http/router.js';

export async function issueSession(uid: string, config: Config, now: number, familyId: string = newId()): Promise<NonNullable<HandlerResult['session']>> {
  const roles = rolesOf(await listMembershipsOfUser(uid));
  const refresh = newRefreshToken();
  await saveRefreshToken({ id: refresh.id, uid, familyId, hash: refresh.hash, expiresAt: now + config.refreshTokenTtlS * 1000, createdAt: now });
  const accessToken = await signAccessToken({ kind: 'user', uid, roles }, config, now);
  return { set: { accessToken, refreshToken: refresh.token }, maxAgeS: config.refreshTokenTtlS };
}
