// Forge installations, managed by a team's admins: register a cloud id (a 256-bit secret shown
// once), list, rotate (the previous secret keeps working for 24 hours), revoke. Another team's
// installation answers 404, like a missing one.
import { randomBytes } from 'node:crypto';
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { RegisterInstallationBody, InstallationTenantQuery, InstallationPath, type InstallationView } from '../../shared/schemas/forge.js';
import { seal } from '../../shared/security/envelope.js';
import { requireTeam } from '../../shared/access/authorize.js';
import {
  createInstallation, getInstallation, listInstallations, replaceInstallation,
  type ForgeInstallationRecord, type StoredInstallation,
} from '../../shared/store/forge-installations.js';
import { auditHook } from '../../shared/store/audit-events.js';

export const ROTATION_OVERLAP_MS = 24 * 3600_000;
const MANAGE_LIMIT: RateLimit = { name: 'forge:manage:user', max: 30, windowS: 3600 };
const manageLimits = (_in: unknown, ctx: HandlerContext) => [{ limit: MANAGE_LIMIT, subject: ctx.principal!.uid }];
const WHAT = 'Forge installations';

/** A fresh shared secret: 256 random bits, prefixed so secret scanners can recognise it. */
const newSecret = () => `rkf_${randomBytes(32).toString('base64url')}`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const noSuchInstallation = () => new HttpError('not_found', 'No such Forge installation.');

export function installationView(r: ForgeInstallationRecord, now: number): InstallationView {
  const overlap = r.previousSecretValidUntil !== null && r.previousSecretValidUntil > now ? r.previousSecretValidUntil : null;
  return {
    cloudId: r.cloudId, tenantId: r.tenantId, status: r.status, createdAt: iso(r.createdAt)!, rotatedAt: iso(r.rotatedAt),
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
const audited = (r: ForgeInstallationRecord, ctx: HandlerContext, action: 'forge.installation_registered' | 'forge.installation_rotated' | 'forge.installation_revoked') =>
  auditHook({ tenantId: r.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action, target: { type: 'forgeInstallation', id: r.cloudId }, details: {} });

/** Writes the change over the installation as read; a concurrent change answers 409. */
async function replaceOrConflict(seen: StoredInstallation, next: ForgeInstallationRecord, audit: ReturnType<typeof audited>): Promise<void> {
  if (!(await replaceInstallation(seen, next, audit))) throw new HttpError('conflict', 'The installation changed meanwhile; reload and try again.');
}

const register = defineRoute({
  method: 'POST', path: '/api/forge/installations', permission: 'team.admin', body: RegisterInstallationBody, rateLimits: manageLimits,
  async handler({ body }, ctx) {
    requireTeam(ctx, 'team.admin', body.tenantId, WHAT);
    const secret = newSecret();
    const record: ForgeInstallationRecord = {
      cloudId: body.cloudId, tenantId: body.tenantId, status: 'active', secret: await seal(secret, body.tenantId),
      previousSecret: null, previousSecretValidUntil: null, createdBy: ctx.principal!.uid, createdAt: ctx.now,
      rotatedAt: null, revokedAt: null, lastDeliveryAt: null,
    };
    if (!(await createInstallation(record, audited(record, ctx, 'forge.installation_registered')))) {
      // A revoked installation (the app was uninstalled) may be registered again, by any team.
      const existing = await getInstallation(body.cloudId);
      if (!existing || existing.record.status !== 'revoked') throw new HttpError('conflict', 'This Atlassian site is already registered with Reckon.');
      await replaceOrConflict(existing, record, audited(record, ctx, 'forge.installation_registered'));
    }
    return { status: 201, body: { installation: installationView(record, ctx.now), secret } };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/forge/installations', permission: 'team.admin', query: InstallationTenantQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.admin', query.tenantId, WHAT);
    return { body: { installations: (await listInstallations(query.tenantId)).map((r) => installationView(r, ctx.now)) } };
  },
});

const rotate = defineRoute({
  method: 'POST', path: '/api/forge/installations/:cloudId/rotate', permission: 'team.admin', params: InstallationPath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    const seen = await installationFor(params.cloudId, ctx);
    if (seen.record.status === 'revoked') throw new HttpError('conflict', 'A revoked installation has no secret to rotate; register it again.');
    const secret = newSecret();
    // Only the secret in use becomes "previous": rotating twice within a day ends the oldest at once.
    const next: ForgeInstallationRecord = {
      ...seen.record, secret: await seal(secret, seen.record.tenantId), previousSecret: seen.record.secret,
      previousSecretValidUntil: ctx.now + ROTATION_OVERLAP_MS, rotatedAt: ctx.now,
    };
    await replaceOrConflict(seen, next, audited(next, ctx, 'forge.installation_rotated'));
    return { body: { installation: installationView(next, ctx.now), secret } };
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

export const installationRoutes: Route[] = [register, list, rotate, revoke];
