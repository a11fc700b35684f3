// Guest tokens: a JWT of its own type and key purpose that names one tenant, one session and the
// guest's participant id in it. A guest token opens that one room and nothing else.
import * as z from 'zod';
import type { Config } from '../config/config.js';
import { signToken, verifyToken } from './tokens.js';

/** A guest in one session, as its verified token says. */
export interface GuestPrincipal { kind: 'guest'; participantId: string; tenantId: string; sessionId: string; expiresAt: number }

const GuestClaims = z.object({ sub: z.string().min(1).max(64), tid: z.string().min(1).max(64), sid: z.string().min(1).max(64), exp: z.number() });

export async function signGuestToken(guest: Omit<GuestPrincipal, 'kind' | 'expiresAt'>, config: Config, now: number): Promise<string> {
  return signToken('guest', { subject: guest.participantId, claims: { tid: guest.tenantId, sid: guest.sessionId }, expiresAtS: Math.floor(now / 1000) + config.guestTokenTtlS }, config, now);
}

/** The guest a token names, or undefined for any token that is not a valid, current guest token. */
export async function verifyGuestToken(token: string, config: Config, now: number): Promise<GuestPrincipal | undefined> {
  try {
    const claims = GuestClaims.safeParse(await verifyToken('guest', token, config, now));
    if (!claims.success) return undefined;
    return { kind: 'guest', participantId: claims.data.sub, tenantId: claims.data.tid, sessionId: claims.data.sid, expiresAt: claims.data.exp * 1000 };
  } catch {
    return undefined;
  }
}
