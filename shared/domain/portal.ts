// The client portal's rules, pure: a link's status, the link URL, what a client may see of an estimate.
import type { LinkStatus } from '../schemas/portal.js';

export function portalLinkStatus(l: { revokedAt: number | null; usedAt: number | null; expiresAt: number }, now: number): LinkStatus {
  if (l.revokedAt !== null) return 'revoked';
  if (l.usedAt !== null) return 'used';
  return l.expiresAt <= now ? 'expired' : 'active';
}

/** The link shown once: the token rides in the fragment, so it never reaches a server log or a Referer. */
export function portalLinkUrl(siteOrigin: string, token: string): string {
  return `${siteOrigin}/#/portal/link/${token}`;
}
