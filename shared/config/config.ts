// All configuration is read here, once, lazily: nothing happens at import time, and tests pass
// their own environment through `configure(env)`.
import * as z from 'zod';
import { parseRange, type TrustedRange } from '../http/client-ip.js';

const EnvSchema = z.object({
  RECKON_ENV: z.enum(['local', 'production']).default('local'),
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('demo-reckon'),
  /** The site's origin, or several separated by commas (web.app, firebaseapp.com, a custom
   *  domain): the first is the one links point to; a change from any of them is accepted. */
  RECKON_SITE_ORIGIN: z.string().default('http://localhost:8080').transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)).pipe(z.array(z.string().url()).min(1)),
  RECKON_SECRETS: z.enum(['env', 'secret-manager']).optional(),
  RECKON_TOKEN_ISSUER: z.string().min(1).default('reckon'),
  RECKON_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(3600).default(900),
  RECKON_REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(300).max(30 * 86400).default(7 * 86400),
  RECKON_GUEST_TOKEN_TTL_S: z.coerce.number().int().min(300).max(7 * 86400).default(86400),
  /** How long a browser that signed in stays a known device for that account (browsers keep a cookie 400 days at most). */
  RECKON_DEVICE_TOKEN_TTL_S: z.coerce.number().int().min(86400).max(400 * 86400).default(180 * 86400),
  RECKON_POLL_CACHE_MS: z.coerce.number().int().min(0).max(1000).default(1000),
  RECKON_SCHEDULER_SA: z.string().email().optional(),
  RECKON_JOBS_AUDIENCE: z.string().url().optional(),
  RECKON_OIDC_JWKS_URL: z.string().url().default('https://www.googleapis.com/oauth2/v3/certs'),
  RECKON_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  RECKON_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  // Proxies between the caller and Google's front end whose X-Forwarded-For entries are believed
  // (comma-separated CIDR ranges; Firebase Hosting's egress on a real deploy: docs/operations.md).
  RECKON_TRUSTED_PROXIES: z.string().default('').transform((v, ctx) => v.split(',').map((r) => r.trim()).filter(Boolean).map((r) => {
    const range = parseRange(r);
    if (!range) ctx.addIssue({ code: 'custom', message: `"${r}" is not a CIDR range no wider than an IPv4 /16 or an IPv6 /32 (a.b.c.d/n or x:y::/n)` });
    return range!;
  })),
  /**
   * How the functions reach Firestore: gRPC, REST (HTTP/1.1: a cheaper first call, dearer later
   * ones), or REST until a gRPC client is ready, set up once the instance's first request is
   * answered (shared/store/firestore.ts). The deploy sets it per function.
   */
  RECKON_FIRESTORE_TRANSPORT: z.enum(['rest', 'grpc', 'rest-then-grpc']).default('grpc'),
  /** rest-then-grpc: how long the gRPC client's first call may take before the set-up counts as failed, and how long after a failure it is tried again. */
  RECKON_FIRESTORE_GRPC_SETUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  RECKON_FIRESTORE_GRPC_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** The Reckon Forge app's id (its UUID, or its ARI `ari:cloud:ecosystem::app/<uuid>`): the audience of every invocation token. */
  RECKON_FORGE_APP_ID: z.string().regex(/^(ari:cloud:ecosystem::app\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a Forge app id (UUID or ari:cloud:ecosystem::app/<uuid>)').optional(),
  RECKON_FORGE_JWKS_URL: z.string().url().default('https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json'),
  /** Forge environments whose invocation tokens bind sites (comma-separated: DEVELOPMENT, STAGING, PRODUCTION). */
  RECKON_FORGE_ENVIRONMENTS: z.string().default('PRODUCTION').transform((v) => v.split(',').map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['DEVELOPMENT', 'STAGING', 'PRODUCTION'])).min(1)),
});

export interface Config {
  env: 'local' | 'production';
  projectId: string;
  /** The origin links (invites, Forge session links, the jobs audience) point to: the first listed. */
  siteOrigin: string;
  /** Every origin the site is served from; mutations from any other are refused. */
  siteOrigins: string[];
  secretsFrom: 'env' | 'secret-manager';
  tokenIssuer: string;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  /** How long a guest stays in a room without rejoining by its link. */
  guestTokenTtlS: number;
  /** How long a browser that signed in to an account is exempt from that account's login slow-down. */
  deviceTokenTtlS: number;
  /** Who may run scheduled jobs: the scheduler's service account, the audience its OIDC tokens
   *  name (the jobs function's URL), and where Google's signing keys are published. */
  jobs: { schedulerAccount: string | undefined; audience: string; jwksUrl: string };
  /** How long an instance reuses a room's last change for polls (DESIGN.md §6: at most 1 s). */
  pollCacheMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  rateLimits: boolean;
  /** Proxies whose X-Forwarded-For entries are believed (shared/http/client-ip.ts). */
  trustedProxies: readonly TrustedRange[];
  /** Whether a client's address is the caller's own: locally, or in production once the deploy
   *  names Firebase Hosting's ranges. Until then every caller through the site has Hosting's
   *  address, and a "known network" would be Hosting's, known for everyone: not used. */
  clientAddressesReliable: boolean;
  /** Firestore's transport (shared/store/firestore.ts and deploy/settings.ts say which and why). */
  firestoreTransport: 'rest' | 'grpc' | 'rest-then-grpc';
  /** rest-then-grpc: the gRPC set-up's time limit and the wait before another try after a failure. */
  grpcSetup: { timeoutMs: number; retryMs: number };
  /** Forge Remote: the app's ARI (tokens' audience; undefined = binding sites is off), where Atlassian
   *  publishes the invocation tokens' keys, and the environments accepted. */
  forge: { appAri: string | undefined; jwksUrl: string; environments: string[] };
  /** The environment secrets are read from when `secretsFrom` is 'env'. */
  rawEnv: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {}

/** Parses configuration from an environment; throws ConfigError naming the bad settings. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const production = e.RECKON_ENV === 'production';
  const siteOrigins = [...new Set(e.RECKON_SITE_ORIGIN.map((o) => new URL(o).origin))];
  if (production && siteOrigins.some((o) => new URL(o).protocol !== 'https:')) throw new ConfigError('RECKON_SITE_ORIGIN must be https in production');
  return {
    env: e.RECKON_ENV,
    projectId: e.GOOGLE_CLOUD_PROJECT,
    siteOrigin: siteOrigins[0]!,
    siteOrigins,
    secretsFrom: e.RECKON_SECRETS ?? (production ? 'secret-manager' : 'env'),
    tokenIssuer: e.RECKON_TOKEN_ISSUER,
    accessTokenTtlS: e.RECKON_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: e.RECKON_REFRESH_TOKEN_TTL_S,
    guestTokenTtlS: e.RECKON_GUEST_TOKEN_TTL_S,
    deviceTokenTtlS: e.RECKON_DEVICE_TOKEN_TTL_S,
    pollCacheMs: e.RECKON_POLL_CACHE_MS,
    jobs: { schedulerAccount: e.RECKON_SCHEDULER_SA, audience: e.RECKON_JOBS_AUDIENCE ?? `${siteOrigins[0]}/api/jobs`, jwksUrl: e.RECKON_OIDC_JWKS_URL },
    logLevel: e.RECKON_LOG_LEVEL,
    rateLimits: e.RECKON_RATE_LIMITS === 'on',
    trustedProxies: e.RECKON_TRUSTED_PROXIES,
    clientAddressesReliable: !production || e.RECKON_TRUSTED_PROXIES.length > 0,
    firestoreTransport: e.RECKON_FIRESTORE_TRANSPORT,
    grpcSetup: { timeoutMs: e.RECKON_FIRESTORE_GRPC_SETUP_TIMEOUT_MS, retryMs: e.RECKON_FIRESTORE_GRPC_RETRY_MS },
    forge: {
      appAri: e.RECKON_FORGE_APP_ID === undefined ? undefined : e.RECKON_FORGE_APP_ID.startsWith('ari:') ? e.RECKON_FORGE_APP_ID : `ari:cloud:ecosystem::app/${e.RECKON_FORGE_APP_ID}`,
      jwksUrl: e.RECKON_FORGE_JWKS_URL, environments: e.RECKON_FORGE_ENVIRONMENTS,
    },
    rawEnv: env,
  };
}

let current: Config | undefined;

/** The configuration of this instance, read from process.env on first use. */
export function getConfig(): Config {
  current ??= loadConfig(process.env);
  return current;
}

/** Replaces the configuration (dev server and tests); resets what was derived from the old one. */
export function configure(env: Readonly<Record<string, string | undefined>>): Config {
  current = loadConfig(env);
  for (const reset of resetHooks) reset();
  return current;
}

const resetHooks: (() => void)[] = [];
/** Lets lazily created clients and caches drop themselves when the configuration changes. */
export function onConfigure(reset: () => void): void {
  resetHooks.push(reset);
}
