// Portal links: admins create them (the URL, with its token in the fragment, is shown once),
// list and revoke them; a signed-in person redeems one and becomes a portal user of its client.
// Expired, used, revoked, forged and other-kind tokens answer one and the same 404, writing nothing.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ClientPath, CreateLinkBody, LinkPath, RedeemBody, type CreatedLink, type PortalAccessView } from '../../shared/schemas/portal.js';
import { loadClientForTeam } from '../../shared/access/portal.js';
import { portalLinkStatus, portalLinkUrl } from '../../shared/domain/portal.js';
import { newId } from '../../shared/security/tokens.js';
import { signPortalLinkToken, verifyPortalLinkToken } from '../../shared/security/portal-tokens.js';
import { commitCreates, getDb, isPreconditionFailure } from '../../shared/store/firestore.js';
import { getClient } from '../../shared/store/clients.js';
import { createPortalLinkIn, getPortalLink, listPortalLinks, revokePortalLinkIn, spendPortalLinkIn, type PortalLinkRecord } from '../../shared/store/portal-links.js';
import { getPortalGrant, grantPortalAccessIn } from '../../shared/store/portal-access.js';
import { getTeam } from '../../shared/store/tenants.js';
import { getProfiles } from '../../shared/store/users.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { manageLimits } from './client-routes.js';
import { iso, linkView } from './views.js';

const CREATE_LIMIT: RateLimit = { name: 'portal:links:user', max: 30, windowS: 3600 };
const REDEEM_USER_LIMIT: RateLimit = { name: 'portal:redeem:user', max: 10, windowS: 600 };
const REDEEM_IP_LIMIT: RateLimit = { name: 'portal:redeem:ip', max: 30, windowS: 600 };

const noSuchLink = () => new HttpError('not_found', 'This portal link is not valid (it may have expired, been used or been revoked).');

const create = defineRoute({
  method: 'POST', path: '/api/portal/clients/:clientId/links', permission: 'team.admin', params: ClientPath, body: CreateLinkBody,
  rateLimits: (_in, ctx) => [{ limit: CREATE_LIMIT, subject: ctx.principal!.uid }],
  async handler({ params, body }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    if (client.archived) throw new HttpError('conflict', 'This client is archived; unarchive it first.');
    const link: PortalLinkRecord = {
      id: newId(), tenantId: client.tenantId, clientId: client.id, note: body.note ?? '', createdBy: ctx.principal!.uid, createdAt: ctx.now,
      expiresAt: ctx.now + body.expiresInDays * 86_400_000, revokedAt: null, usedBy: null, usedAt: null,
    };
    const token = await signPortalLinkToken({ linkId: link.id, tenantId: link.tenantId, clientId: link.clientId }, link.expiresAt, ctx.config, ctx.now);
    const batch = getDb().batch();
    createPortalLinkIn(batch, link);
    recordAuditIn(batch, {
      tenantId: link.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action: 'portal_link.created', target: { type: 'portalLink', id: link.id },
      details: { client: client.name, note: link.note, expiresAt: iso(link.expiresAt) },
    });
    await batch.commit();
    const out: CreatedLink = { link: { id: link.id, expiresAt: iso(link.expiresAt), note: link.note }, url: portalLinkUrl(ctx.config.siteOrigin, token) };
    return { status: 201, body: out };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/portal/clients/:clientId/links', permission: 'team.admin', params: ClientPath,
  async handler({ params }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    const links = await listPortalLinks(client.tenantId, client.id);
    const profiles = await getProfiles(links.flatMap((l) => [l.createdBy, l.usedBy].filter((u): u is string => u !== null)));
    const names = new Map([...profiles].map(([uid, p]) => [uid, p.displayName]));
    return { body: { links: links.map((l) => linkView(l, names, ctx.now)) } };
  },
});

/**
 * Revokes a link ("regenerate" is revoke + create); revoking it again changes nothing. A used link
 * is not revoked (409): its access is given, and only removing the portal user ends it.
 */
const revoke = defineRoute({
  method: 'DELETE', path: '/api/portal/clients/:clientId/links/:linkId', permission: 'team.admin', params: LinkPath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    const link = await getPortalLink(client.tenantId, client.id, params.linkId);
    if (!link) throw new HttpError('not_found', 'No such portal link.');
    if (link.revokedAt !== null) return { status: 204 };
    const usedAlready = () => new HttpError('conflict', 'This link was used already; remove its portal user to end their access.');
    if (link.usedAt !== null) throw usedAlready();
    const batch = getDb().batch();
    revokePortalLinkIn(batch, link, ctx.now);
    recordAuditIn(batch, { tenantId: link.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action: 'portal_link.revoked', target: { type: 'portalLink', id: link.id }, details: { client: client.name, note: link.note } });
    try {
      await batch.commit();
    } catch (e) {
      if (!isPreconditionFailure(e)) throw e;
      // Changed between the read and the write: another admin revoked it (done), or someone redeemed it.
      const now = await getPortalLink(client.tenantId, client.id, link.id);
      if (now && now.revokedAt !== null) return { status: 204 };
      throw now && now.usedAt !== null ? usedAlready() : new HttpError('conflict', 'The link changed meanwhile; reload and try again.');
    }
    return { status: 204 };
  },
});

/**
 * Redeems a link: one batch spends it (create() on its use: of any burst exactly one commits),
 * grants the access and records the event. Everything is checked before anything is written.
 */
const redeem = defineRoute({
  method: 'POST', path: '/api/portal/links/redeem', permission: 'account', body: RedeemBody,
  rateLimits: (_in, ctx) => [{ limit: REDEEM_USER_LIMIT, subject: ctx.principal!.uid }, { limit: REDEEM_IP_LIMIT, subject: ctx.clientNetwork }],
  async handler({ body }, ctx) {
    const uid = ctx.principal!.uid;
    const claims = await verifyPortalLinkToken(body.token, ctx.config, ctx.now);
    if (!claims) throw noSuchLink();
    const [link, client, team] = await Promise.all([getPortalLink(claims.tenantId, claims.clientId, claims.linkId), getClient(claims.tenantId, claims.clientId), getTeam(claims.tenantId)]);
    if (!link || portalLinkStatus(link, ctx.now) !== 'active' || !client || client.archived || !team) throw noSuchLink();
    if (await getPortalGrant(client.tenantId, client.id, uid)) throw new HttpError('conflict', 'You already have portal access to this client.');
    const batch = getDb().batch();
    spendPortalLinkIn(batch, link, uid, ctx.now);
    grantPortalAccessIn(batch, { tenantId: client.tenantId, clientId: client.id, uid, linkId: link.id, grantedAt: ctx.now });
    recordAuditIn(batch, { tenantId: client.tenantId, at: ctx.now, actorUid: uid, action: 'portal_link.redeemed', target: { type: 'portalLink', id: link.id }, details: { client: client.name } });
    // Spent or revoked since it was read: of a redeem and a revoke, only the first to commit takes effect.
    const committed = await commitCreates(batch).catch((e: unknown) => { if (isPreconditionFailure(e)) return false; throw e; });
    if (!committed) throw noSuchLink();
    const access: PortalAccessView = { tenantId: client.tenantId, clientId: client.id, clientName: client.name, teamName: team.name };
    return { body: { access } };
  },
});

export const linkRoutes: Route[] = [redeem, create, list, revoke];
