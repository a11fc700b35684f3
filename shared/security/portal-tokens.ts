// Portal link tokens: a JWT of its own type and key purpose naming one tenant, one client and
// one link (issue #17). It is accepted as nothing else, and nothing else is accepted as it; it
// only ever associates an account with a client, once (the link's use is a create()).
import * as z from 'zod';
import type { Config } from '../config/config.js';
import { signToken, verifyToken } from './tokens.js';

export interface PortalLinkClaims { linkId: string; tenantId: string; clientId: string }

const Claims = z.object({ sub: z.string().min(1).max(64), tid: z.string().min(1).max(64), cid: z.string().min(1).max(64) });

export async function signPortalLinkToken(link: PortalLinkClaims, expiresAt: number, config: Config, now: number): Promise<string> {
  return signToken('portalLink', { subject: link.linkId, claims: { tid: link.tenantId, cid: link.clientId }, expiresAtS: Math.floor(expiresAt / 1000) }, config, now);
}

/** The link a token names, or undefined for anything that is not a valid, unexpired portal link token. */
export async function verifyPortalLinkToken(token: string, config: Config, now: number): Promise<PortalLinkClaims | undefined> {
  try {
    const claims = Claims.safeParse(await verifyToken('portalLink', token, config, now));
    if (!claims.success) return undefined;
    return { linkId: claims.data.sub, tenantId: claims.data.tid, clientId: claims.data.cid };
  } catch {
    return undefined;
  }
}
