// Portal link tokens: a JWT of its own type and key purpose naming one tenant, one client and
// one link (issue #17). It is accepted as nothing else, and nothing else is accepted as it; it
// only ever associates an account with a client, once (the link's use is a create()).
import { SignJWT } from 'jose';
import * as z from 'zod';
import type { Config } from '../config/config.js';
import { keysFor, verifyToken, TOKEN_TYPES } from './tokens.js';

export interface PortalLinkClaims { linkId: string; tenantId: string; clientId: string }

const Claims = z.object({ sub: z.string().min(1).max(64), tid: z.string().min(1).max(64), cid: z.string().min(1).max(64) });

export async function signPortalLinkToken(link: PortalLinkClaims, expiresAt: number, config: Config, now: number): Promise<string> {
  const [signing] = await keysFor('portalLink');
  const iat = Math.floor(now / 1000);
  return new SignJWT({ tid: link.tenantId, cid: link.clientId })
    .setProtectedHeader({ alg: 'HS256', kid: signing!.kid, typ: TOKEN_TYPES.portalLink })
    .setSubject(link.linkId)
    .setIssuer(config.tokenIssuer)
    .setAudience(`${config.tokenIssuer}:api`)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(signing!.key);
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
