// Who is calling: the one place a request's credentials become a caller (the router calls it for
// every route). An access token counts only while its epoch is the user's current one
// (epochs.ts); a user who no longer exists is nobody. Guest tokens name one session each.
import type { Config } from '../config/config.js';
import type { SessionCookie } from '../http/cookies.js';
import { verifyAccessToken, TokenExpiredError, type Principal } from '../security/tokens.js';
import { verifyGuestToken, type GuestPrincipal } from '../security/guest-tokens.js';
import type { Credential } from '../domain/permissions.js';
import { currentEpoch } from './epochs.js';

export interface Caller {
  /** The signed-in user, when the access token is valid and current. */
  principal: Principal | undefined;
  /** The user's access token expired or was ended (the site refreshes it and retries). */
  userTokenExpired: boolean;
  /** The rooms this browser joined as a guest, from valid guest tokens. */
  guests: { principal: GuestPrincipal; token: string }[];
}

/** A caller with no credentials (a job acting on its own, a test). */
export const NOBODY: Caller = { principal: undefined, userTokenExpired: false, guests: [] };

export async function identifyCaller(cookie: SessionCookie | undefined, config: Config, now: number): Promise<Caller> {
  const guests: Caller['guests'] = [];
  // A token repeated in the cookie counts once (else each copy would be another caller to a limit).
  for (const token of new Set(cookie?.guestTokens ?? [])) {
    const principal = await verifyGuestToken(token, config, now);
    if (principal) guests.push({ principal, token });
  }
  if (!cookie?.user) return { principal: undefined, userTokenExpired: false, guests };
  let principal: Principal;
  try {
    principal = await verifyAccessToken(cookie.user.accessToken, config, now);
  } catch (e) {
    return { principal: undefined, userTokenExpired: e instanceof TokenExpiredError, guests };
  }
  const epoch = await currentEpoch(principal.uid, now);
  if (epoch === undefined) return { principal: undefined, userTokenExpired: false, guests }; // erased
  if (principal.epoch < epoch) return { principal: undefined, userTokenExpired: true, guests }; // ended
  return { principal, userTokenExpired: false, guests };
}

/** What the caller presents, in the permission table's terms. */
export function credentialOf(caller: Caller): Credential {
  if (caller.principal) return 'user';
  if (caller.guests.length > 0) return 'guest';
  return caller.userTokenExpired ? 'ended' : 'none';
}
