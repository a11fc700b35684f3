// Stored portal records mapped to their declared shapes (never a stored document passed through).
import type { ClientRecord } from '../../shared/store/clients.js';
import type { PortalLinkRecord } from '../../shared/store/portal-links.js';
import { portalLinkStatus } from '../../shared/domain/portal.js';
import type { ClientView, LinkView } from '../../shared/schemas/portal.js';

export const iso = (ms: number) => new Date(ms).toISOString();
export const ERASED_NAME = 'Former user';

export function clientView(c: ClientRecord): ClientView {
  return { id: c.id, tenantId: c.tenantId, name: c.name, archived: c.archived, createdAt: iso(c.createdAt) };
}

export function linkView(l: PortalLinkRecord, names: Map<string, string>, now: number): LinkView {
  const person = (uid: string | null) => (uid === null ? null : { uid, displayName: names.get(uid) ?? ERASED_NAME });
  return {
    id: l.id, clientId: l.clientId, note: l.note, status: portalLinkStatus(l, now), expiresAt: iso(l.expiresAt), createdAt: iso(l.createdAt),
    createdBy: person(l.createdBy), usedBy: person(l.usedBy), usedAt: l.usedAt === null ? null : iso(l.usedAt), revokedAt: l.revokedAt === null ? null : iso(l.revokedAt),
  };
}
