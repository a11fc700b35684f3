// Forge installations, managed by a team's admins: a one-time connect code (the Forge app binds
// its site with it: bind-routes.ts), the list, revoke. Another team's installation answers 404,
// like a missing one. No cloud id is ever typed in: the site comes from Atlassian's token.
import { createHash, randomBytes } from 'node:crypto';
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { InstallationTenantQuery, InstallationPath, type InstallationView } from '../../shared/schemas/forge.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { createConnectCode } from '../../shared/store/forge-binding.js';
import {
  getInstallation, listInstallations, replaceInstallation,
  type ForgeInstallationRecord, type StoredInstallation,
} from '../../shared/store/forge-installations.js';
import { auditHook } from '../../shared/store/audit-events.js';

export const ROTATION_OVERLAP_MS = 24 * 3600_000;
const MANAGE_LIMIT: RateLimit = { name: 'forge:manage:user', max: 30, windowS: 3600 };
const manageLimits = (_in: unknown, ctx: HandlerContext) => [{ limit: MANAGE_LIMIT, subject: ctx.principal!.uid }];
const WHAT = 'Forge installations';

export const CONNECT_CODE_TTL_MS = 10 * 60_000;
/** A fresh shared secret: 256 random bits, prefixed so secret scanners can recognise it. */
export const newSecret = () => `rkf_${randomBytes(32).toString('base64url')}`;
/** A connect code: 128 random bits (so a plain SHA-256 is a safe way to store it). */
const newConnectCode = () => `rkc_${randomBytes(16).toString('base64url')}`;
export const hashConnectCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const noSuchInstallation = () => new HttpError('not_found', 'No such Forge installation.');

export function installationView(r: ForgeInstallationRecord, now: number): InstallationView {
  const overlap = r.previousSecretValidUntil !== null && r.previousSecretValidUntil > now ? r.previousSecretValidUntil : null;
  return {
    cloudId: r.cloudId, tenantId: r.tenantId, status: r.status, installationId: r.installationId, environment: r.environment, createdAt: iso(r.createdAt)!, rotatedAt: iso(r.rotatedAt),
    previousSecretValidUntil: iso(overlap), revokedAt: iso(r.revokedAt), lastDeliveryAt: iso(r.lastDeliveryAt),
  };
}

/** The installation, if the caller is an admin of its team; 404 for anyone else. */
async function installationFor(cloudId: string, ctx: HandlerContext): Promise<StoredInstallation> {
  const found = await getInstallation(cloudId);
  if (!found) throw noSuchInstallation();
  requireTeam(ctx, 'team.admin', found.record.tenantId, WHAT, noSuchInstallation);
  return found;
}

/** The audit event of a change to an installation, written in the change's batch. */
export const audited = (r: ForgeInstallationRecord, ctx: HandlerContext, action: 'forge.installation_registered' | 'forge.installation_rotated' | 'forge.installation_revoked', actorUid = ctx.principal!.uid) =>
  auditHook({ tenantId: r.tenantId, at: ctx.now, actorUid, action, target: { type: 'forgeInstallation', id: r.cloudId }, details: {} });

/** Writes the change over the installation as read; a concurrent change answers 409. */
async function replaceOrConflict(seen: StoredInstallation, next: ForgeInstallationRecord, audit: ReturnType<typeof audited>): Promise<void> {
  if (!(await replaceInstallation(seen, next, audit))) throw new HttpError('conflict', 'The installation changed meanwhile; reload and try again.');
}

const connectCode = defineRoute({
  method: 'POST', path: '/api/forge/connect-codes', permission: 'team.admin', body: InstallationTenantQuery, rateLimits: manageLimits,
  async handler({ body }, ctx) {
    requireTeam(ctx, 'team.admin', body.tenantId, WHAT);
    const code = newConnectCode();
    const expiresAt = ctx.now + CONNECT_CODE_TTL_MS;
    await createConnectCode({ codeHash: hashConnectCode(code), tenantId: body.tenantId, createdBy: ctx.principal!.uid, createdAt: ctx.now, expiresAt });
    return { status: 201, body: { code, expiresAt: new Date(expiresAt).toISOString() } };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/forge/installations', permission: 'team.admin', query: InstallationTenantQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.admin', query.tenantId, WHAT);
    return { body: { installations: (await listInstallations(query.tenantId)).map((r) => installationView(r, ctx.now)) } };
  },
});

const revoke = defineRoute({
  method: 'POST', path: '/api/forge/installations/:cloudId/revoke', permission: 'team.admin', params: InstallationPath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    const seen = await installationFor(params.cloudId, ctx);
    if (seen.record.status === 'revoked') return { body: { installation: installationView(seen.record, ctx.now) } };
    const next = revokedInstallation(seen.record, ctx.now);
    await replaceOrConflict(seen, next, audited(next, ctx, 'forge.installation_revoked'));
    return { body: { installation: installationView(next, ctx.now) } };
  },
});

/** The installation after a revoke: no previous secret; its secret kept only to answer "revoked" to a correctly signed call. */
export function revokedInstallation(r: ForgeInstallationRecord, now: number): ForgeInstallationRecord {
  return { ...r, status: 'revoked', revokedAt: now, previousSecret: null, previousSecretValidUntil: null };
}

export const installationRoutes: Route[] = [connectCode, list, revoke];
