// Secrets come from one place: environment variables locally, Secret Manager in production.
// Values are cached per instance for a few minutes and never logged.
import { getConfig, onConfigure, ConfigError, type Config } from './config.js';

export interface SecretSource { get(name: SecretName): Promise<string> }

/** Every secret Reckon uses, with its env variable name for local runs. */
export const SECRET_NAMES = {
  'token-keys': 'RECKON_TOKEN_KEYS',
  /** Data keys for secrets at rest (Jira tokens, Forge secrets): `[{version, key}]`, newest first. */
  'data-keys': 'RECKON_DATA_KEYS',
} as const;
export type SecretName = keyof typeof SECRET_NAMES;

/**
 * Local defaults so `npm start` runs with no configuration. They are public, so tokens signed
 * with them are worthless outside a developer's machine; production refuses to use them.
 */
const LOCAL_DEFAULTS: Record<SecretName, string> = {
  'token-keys': JSON.stringify([{ kid: 'local-1', secret: Buffer.from('reckon-local-development-key-not-for-production!').toString('base64') }]),
  'data-keys': JSON.stringify([{ version: 1, key: Buffer.from('reckon-local-data-key-not-secret').toString('base64') }]),
};

/**
 * The key bytes of the public defaults, as the code that uses a key decodes it (base64, which
 * Node reads leniently: it skips spaces and stray characters). Compared as bytes, so no spelling
 * of a published key (a JSON escape, whitespace inside the base64, other padding) passes.
 */
const keyBytes = (encoded: string): string => Buffer.from(encoded, 'base64').toString('hex');
/** The public defaults' keys as written (base64), and as the bytes they decode to. */
const PUBLISHED_TEXTS = Object.values(LOCAL_DEFAULTS).flatMap((v) => (JSON.parse(v) as { secret?: string; key?: string }[]).map((k) => (k.secret ?? k.key)!));
const PUBLISHED_KEYS = new Set(PUBLISHED_TEXTS.map(keyBytes));

/** Every string inside a parsed JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Whether a secret's value is, or contains a key of, a published development default. */
export function isPublishedDefault(value: string): boolean {
  if (PUBLISHED_TEXTS.some((k) => value.includes(k))) return true;
  let parsed: unknown;
  try { parsed = JSON.parse(value); } catch { return false; }
  return stringsIn(parsed).some((s) => PUBLISHED_KEYS.has(keyBytes(s)));
}

/** In production, a published development key is refused wherever the secret came from. */
export function refusePublishedDefaults(source: SecretSource, config: Config): SecretSource {
  if (config.env !== 'production') return source;
  return {
    async get(name) {
      const value = await source.get(name);
      if (isPublishedDefault(value)) throw new ConfigError(`secret ${name} is a published development key; production refuses it`);
      return value;
    },
  };
}

export function envSecretSource(config: Config): SecretSource {
  return {
    async get(name) {
      const value = config.rawEnv[SECRET_NAMES[name]];
      if (value) return value;
      if (config.env === 'production') throw new ConfigError(`secret ${name} is not set`);
      return LOCAL_DEFAULTS[name];
    },
  };
}

type Client = import('@google-cloud/secret-manager').SecretManagerServiceClient;
/** The client's own options; tests point it at a fake server (`apiEndpoint`, `port`, `sslCreds`). */
export type SecretManagerOptions = NonNullable<ConstructorParameters<typeof import('@google-cloud/secret-manager').SecretManagerServiceClient>[0]>;

/**
 * Reads `projects/{project}/secrets/{name}/versions/latest` through the official client, loaded
 * only when secrets come from Secret Manager (it brings gRPC with it; nothing else here needs it).
 */
export function secretManagerSource(config: Config, options: SecretManagerOptions = {}): SecretSource {
  let client: Promise<Client> | undefined;
  const makeClient = async (): Promise<Client> => {
    const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
    return new SecretManagerServiceClient(options);
  };
  return {
    async get(name) {
      client ??= makeClient();
      const [version] = await (await client).accessSecretVersion({ name: `projects/${config.projectId}/secrets/${name}/versions/latest` });
      const data = version?.payload?.data;
      if (data === undefined || data === null) throw new ConfigError(`secret ${name} has no payload`);
      return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    },
  };
}

const TTL_MS = 5 * 60_000;

/** Wraps a source with a per-instance cache; a failed fetch is not cached. */
export function cachedSecrets(source: SecretSource, now: () => number = Date.now): SecretSource {
  const cache = new Map<SecretName, { value: Promise<string>; at: number }>();
  return {
    get(name) {
      const hit = cache.get(name);
      if (hit && now() - hit.at < TTL_MS) return hit.value;
      const value = source.get(name);
      cache.set(name, { value, at: now() });
      value.catch(() => cache.delete(name));
      return value;
    },
  };
}

let secrets: SecretSource | undefined;
onConfigure(() => { secrets = undefined; });

/** This instance's secrets, from the source the configuration names. */
export function getSecrets(): SecretSource {
  if (!secrets) {
    const config = getConfig();
    secrets = cachedSecrets(refusePublishedDefaults(config.secretsFrom === 'env' ? envSecretSource(config) : secretManagerSource(config), config));
  }
  return secrets;
}

/**
 * Reads every secret (cached), so that a missing or refused one fails before anything happens:
 * at start-up (each function awaits it before it registers, so such an instance does not start)
 * and before each request's handler (so no request writes anything and then fails).
 */
export async function requireSecrets(): Promise<void> {
  const source = getSecrets();
  await Promise.all((Object.keys(SECRET_NAMES) as SecretName[]).map((name) => source.get(name)));
}
