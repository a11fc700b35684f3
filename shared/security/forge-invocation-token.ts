// Forge Invocation Tokens (FIT): the JWT Atlassian signs and puts in the Authorization header of
// every Forge Remote call (developer.atlassian.com/platform/forge/remote/essentials). Verified with
// jose against Atlassian's published JWKS (a setting), RS256 only, issuer `forge/invocation-token`,
// audience = the Reckon app's ARI from configuration, exp/iat/nbf/jti required, at most a minute
// old, and an accepted environment. What the site is comes from the verified token only:
// the cloud id in `app.apiBaseUrl`'s path (`https://api.atlassian.com/ex/jira/<cloudId>`, the host
// pinned to Atlassian's API gateway; Reckon never calls or stores the URL), and `context.cloudId`
// when the call came from a UI module (it must agree).
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import * as z from 'zod';
import type { Config } from '../config/config.js';

export const FIT_ISSUER = 'forge/invocation-token';
/** Atlassian's tokens live 25 seconds; a minute leaves room for clock skew and nothing more. */
export const FIT_MAX_AGE_S = 60;
const CLOCK_TOLERANCE_S = 5;
/** Atlassian's API gateway (api.atlassian.com; api.stg.atlassian.com for staging), no port, no user info. */
const ATLASSIAN_API_HOSTS = /^api(\.stg)?\.atlassian\.com$/;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export class ForgeTokenError extends Error {}
/** Atlassian's JWKS could not be fetched or read: Reckon cannot judge the token (not the caller's fault). */
export class ForgeKeysUnavailable extends Error {}

// jose throws a bare JOSEError only for a JWKS answer that is not 200 or not JSON.
const keysUnavailable = (e: unknown) => (e instanceof TypeError && e.message === 'fetch failed') || e instanceof errors.JWKSTimeout
  || e instanceof errors.JWKSInvalid || (e instanceof errors.JOSEError && e.code === 'ERR_JOSE_GENERIC');

export interface AttestedInstallation {
  cloudId: string;
  /** `ari:cloud:ecosystem::installation/<uuid>`: changes with every install of the app on the site. */
  installationId: string;
  environment: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';
  /** SHA-256 of the token's jti (stored to spend it once) and when the token ends. */
  jtiHash: string; expiresAt: number;
}

const Uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const Claims = z.object({
  jti: z.string().min(8).max(200),
  exp: z.number(),
  app: z.object({
    id: z.string(),
    installationId: z.string().regex(/^ari:cloud:ecosystem::installation\/[0-9a-f-]{36}$/),
    apiBaseUrl: z.string().url(),
    environment: z.object({ type: z.enum(['DEVELOPMENT', 'STAGING', 'PRODUCTION']), id: z.string() }),
  }),
  context: z.object({ cloudId: z.string().regex(Uuid).optional() }).optional(),
});

/** The bearer token of an Authorization header, or undefined. */
export const bearerToken = (authorization: string | string[] | undefined) =>
  typeof authorization === 'string' ? /^Bearer ([A-Za-z0-9_.-]{20,8000})$/.exec(authorization)?.[1] : undefined;

/** Verifies a Forge Invocation Token; throws ForgeTokenError saying what is wrong (for logs, not for callers), ForgeKeysUnavailable when the JWKS cannot be had. */
export async function verifyInvocationToken(token: string | undefined, config: Config, now: number): Promise<AttestedInstallation> {
  const { appAri, jwksUrl, environments } = config.forge;
  if (!appAri) throw new ForgeTokenError('no Forge app id is configured (RECKON_FORGE_APP_ID)');
  if (!token) throw new ForgeTokenError('a bearer token is required');
  let keys = keySets.get(jwksUrl);
  if (!keys) { keys = createRemoteJWKSet(new URL(jwksUrl)); keySets.set(jwksUrl, keys); }
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: FIT_ISSUER, audience: appAri, algorithms: ['RS256'], currentDate: new Date(now),
      requiredClaims: ['exp', 'iat', 'nbf', 'jti'], maxTokenAge: FIT_MAX_AGE_S, clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (e) {
    if (keysUnavailable(e)) throw new ForgeKeysUnavailable(e instanceof Error ? e.message : 'JWKS unavailable');
    throw new ForgeTokenError(e instanceof Error ? e.message : 'invalid token');
  }
  const claims = Claims.safeParse(payload);
  if (!claims.success) throw new ForgeTokenError(`claims: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const { app, context, jti, exp } = claims.data;
  if (app.id !== appAri) throw new ForgeTokenError('app.id is not the Reckon app');
  if (!environments.includes(app.environment.type)) throw new ForgeTokenError(`environment ${app.environment.type} is not accepted`);
  const baseUrl = new URL(app.apiBaseUrl);
  // Reckon never calls this URL nor keeps it; it only reads the site from its path. Still, only
  // Atlassian's own API gateway counts: a token naming any other host names no site Reckon trusts.
  if (baseUrl.protocol !== 'https:' || !ATLASSIAN_API_HOSTS.test(baseUrl.host) || baseUrl.username || baseUrl.password) throw new ForgeTokenError('app.apiBaseUrl is not an Atlassian API host');
  const fromBaseUrl = /^\/ex\/jira\/([0-9a-f-]{36})\/?$/.exec(baseUrl.pathname)?.[1];
  // A Jira app's base URL names the site; a UI invocation's context names it too, and must agree.
  if (!fromBaseUrl || !Uuid.test(fromBaseUrl) || (context?.cloudId !== undefined && context.cloudId !== fromBaseUrl)) throw new ForgeTokenError('no single Jira cloud id in the token');
  const cloudId = fromBaseUrl;
  return {
    cloudId, installationId: app.installationId, environment: app.environment.type,
    jtiHash: createHash('sha256').update(jti).digest('hex'), expiresAt: exp * 1000,
  };
}
