// What the Forge app calls through Forge Remote, with Atlassian's invocation token (FIT): bind its
// site to a team with a connect code (the HMAC secret handed over once), and fetch a new secret.
// The site (cloud id, installation id) comes only from the verified token, so only the app
// installed on a site can bind it, and only with a code of the team it binds to. Every refusal
// comes before the one batch that spends the code and the token and writes the installation.
import { defineRoute, parseBody, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { log } from '../../shared/http/log.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { BindBody, RotateBody } from '../../shared/schemas/forge.js';
import { seal } from '../../shared/security/envelope.js';
import { bearerToken, verifyInvocationToken, ForgeKeysUnavailable, ForgeTokenError, type AttestedInstallation } from '../../shared/security/forge-invocation-token.js';
import { getInstallation, type ForgeInstallationRecord, type StoredInstallation } from '../../shared/store/forge-installations.js';
import { getMembership } from '../../shared/store/memberships.js';
import { commitAttested, getConnectCode, isSpent, type Spend } from '../../shared/store/forge-binding.js';
import { audited, hashConnectCode, installationView, newSecret, ROTATION_OVERLAP_MS } from './installation-routes.js';

// Per instance, so that refused calls write no limiter documents.
const ATTESTED_LIMIT: RateLimit = { name: 'forge:attested:ip', max: 60, windowS: 60, perInstance: true };
const attestedLimits = (_in: unknown, ctx: HandlerContext) => [{ limit: ATTESTED_LIMIT, subject: ctx.clientNetwork }];
/** A spent jti is remembered past its token's end (plus the clock tolerance). */
const JTI_MEMORY_MS = 120_000;

const tokenInvalid = () => new HttpError('forge_token_invalid', 'The Forge invocation token is missing, invalid, expired or already used.');
const codeInvalid = () => new HttpError('forge_connect_code_invalid', 'This connect code is unknown, expired or already used; ask Reckon for a new one.');

/** The installation Atlassian vouches for, its token not used before. */
async function attested(ctx: HandlerContext): Promise<AttestedInstallation> {
  let site: AttestedInstallation;
  try {
    site = await verifyInvocationToken(bearerToken(ctx.request.headers.authorization), ctx.config, ctx.now);
  } catch (e) {
    if (e instanceof ForgeKeysUnavailable) {
      log('ERROR', 'forge: the invocation-token JWKS cannot be fetched', { reason: e.message });
      throw new HttpError('unavailable', 'Reckon cannot check the Forge invocation token just now; try again in a minute.');
    }
    if (!(e instanceof ForgeTokenError)) throw e;
    log('WARNING', 'forge: invocation token refused', { reason: e.message, ip: ctx.clientIp });
    throw tokenInvalid();
  }
  if (await isSpent('fit', site.jtiHash)) throw tokenInvalid();
  return site;
}

const fitSpend = (site: AttestedInstallation): Spend => ({ kind: 'fit', hash: site.jtiHash, keepUntil: site.expiresAt + JTI_MEMORY_MS });

/** After a batch that lost a race: the token or the code was spent meanwhile, or the installation changed. */
async function lostRace(site: AttestedInstallation, codeHash?: string): Promise<never> {
  if (await isSpent('fit', site.jtiHash)) throw tokenInvalid();
  if (codeHash && (await isSpent('code', codeHash))) throw codeInvalid();
  throw new HttpError('conflict', 'The installation changed meanwhile; try again.');
}

const bind = defineRoute({
  method: 'POST', path: '/api/forge/bind', permission: 'forge.attested', rawBody: true, rateLimits: attestedLimits,
  async handler(_in, ctx) {
    const site = await attested(ctx);
    const { code } = parseBody(BindBody, ctx.request.rawBody);
    const codeHash = hashConnectCode(code);
    const found = await getConnectCode(codeHash);
    if (!found || found.expiresAt <= ctx.now || (await isSpent('code', codeHash))) throw codeInvalid();
    // The code speaks for the admin who made it: once they are no longer an admin of the team (made
    // a member, removed, left), it is as dead as an unknown code, and says so in the same words.
    if ((await getMembership(found.tenantId, found.createdBy))?.role !== 'admin') throw codeInvalid();
    const seen = await getInstallation(site.cloudId);
    if (seen && seen.record.status === 'active' && seen.record.tenantId !== found.tenantId) {
      throw new HttpError('forge_site_bound_elsewhere', 'This Jira site is bound to another Reckon team; an admin of that team must revoke it first.');
    }
    const secret = newSecret();
    // A bind (or a re-install's bind) starts afresh: a new secret, no previous one.
    const record: ForgeInstallationRecord = {
      cloudId: site.cloudId, tenantId: found.tenantId, status: 'active', installationId: site.installationId, environment: site.environment,
      secret: await seal(secret, found.tenantId), previousSecret: null, previousSecretValidUntil: null,
      createdBy: found.createdBy, createdAt: ctx.now, rotatedAt: null, revokedAt: null, lastDeliveryAt: null,
    };
    const spends = [fitSpend(site), { kind: 'code' as const, hash: codeHash, keepUntil: found.expiresAt }];
    if (!(await commitAttested(spends, record, seen, audited(record, ctx, 'forge.installation_registered', found.createdBy)))) await lostRace(site, codeHash);
    return { status: 201, body: { installation: installationView(record, ctx.now), secret } };
  },
});

/** The installation bound to the token's site by this very installation of the app; else 409. */
async function boundInstallation(site: AttestedInstallation): Promise<StoredInstallation> {
  const seen = await getInstallation(site.cloudId);
  if (!seen || seen.record.status !== 'active' || seen.record.installationId !== site.installationId) {
    throw new HttpError('forge_site_not_bound', 'This installation of the app is not bound to a Reckon team; bind it with a connect code.');
  }
  return seen;
}

const rotate = defineRoute({
  method: 'POST', path: '/api/forge/secret/rotate', permission: 'forge.attested', rawBody: true, rateLimits: attestedLimits,
  async handler(_in, ctx) {
    const site = await attested(ctx);
    parseBody(RotateBody, ctx.request.rawBody);
    const seen = await boundInstallation(site);
    const secret = newSecret();
    // Only the secret in use becomes "previous": rotating twice within a day ends the oldest at once.
    const next: ForgeInstallationRecord = {
      ...seen.record, secret: await seal(secret, seen.record.tenantId), previousSecret: seen.record.secret,
      previousSecretValidUntil: ctx.now + ROTATION_OVERLAP_MS, rotatedAt: ctx.now,
    };
    if (!(await commitAttested([fitSpend(site)], next, seen, audited(next, ctx, 'forge.installation_rotated', seen.record.createdBy)))) await lostRace(site);
    return { body: { installation: installationView(next, ctx.now), secret } };
  },
});

export const bindRoutes: Route[] = [bind, rotate];
