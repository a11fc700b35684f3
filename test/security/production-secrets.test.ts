// Issue #15 item 13: production accepted the published development key when it was set
// explicitly (forged tokens accepted), and an instance missing its secrets started and answered
// 500 after a register had already created the account. Now such an instance does not start, and
// no request runs a handler without every secret.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadConfig, configure, ConfigError } from '../../shared/config/config.js';
import { envSecretSource, cachedSecrets, refusePublishedDefaults, secretManagerSource } from '../../shared/config/secrets.js';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import * as grpc from '@grpc/grpc-js';
import { startFakeSecretManager, type FakeSecretManager } from '../support/fakes/secret-manager.js';

const PRODUCTION = { RECKON_ENV: 'production', RECKON_SITE_ORIGIN: 'https://reckon.example', METADATA_SERVER_DETECTION: 'none' };
const key = () => randomBytes(32).toString('base64');
const goodSecrets = () => ({ RECKON_TOKEN_KEYS: JSON.stringify([{ kid: 'prod-1', secret: key() }]), RECKON_DATA_KEYS: JSON.stringify([{ version: 1, key: key() }]) });
/** The development defaults, exactly as anyone can read them in the source. */
const local = envSecretSource(loadConfig({}));
let devTokenKeys: string;
let devDataKeys: string;
beforeAll(async () => { devTokenKeys = await local.get('token-keys'); devDataKeys = await local.get('data-keys'); });

/** Starts the auth function under the real functions-framework, as Cloud Functions does. */
function startFramework(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/@google-cloud/functions-framework/build/src/main.js', '--target=auth', '--source=functions/auth/index.ts', '--port=0'], {
    env: { PATH: process.env.PATH, ...PRODUCTION, RECKON_SECRETS: 'env', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const collect = (c: Buffer) => {
      output += c.toString();
      if (output.includes('Serving function')) child.kill('SIGTERM'); // it started: that is the answer
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('issue #15 item 13: production refuses published development keys and missing secrets at start-up', () => {
  it('starts with secrets of its own (the control)', async () => {
    const run = await startFramework(goodSecrets());
    expect(run.output).toContain('Serving function');
  }, 60_000);

  it.each([
    ['the published token key', () => ({ ...goodSecrets(), RECKON_TOKEN_KEYS: devTokenKeys }), 'token-keys is a published development key'],
    ['the published data key', () => ({ ...goodSecrets(), RECKON_DATA_KEYS: devDataKeys }), 'data-keys is a published development key'],
    ['the published token key listed beside a real one', () => ({ ...goodSecrets(), RECKON_TOKEN_KEYS: JSON.stringify([{ kid: 'prod-1', secret: key() }, ...JSON.parse(devTokenKeys)]) }), 'token-keys is a published development key'],
    ['no token keys at all', () => ({ RECKON_DATA_KEYS: goodSecrets().RECKON_DATA_KEYS }), 'secret token-keys is not set'],
  ])('does not start with %s', async (_name, env, message) => {
    const run = await startFramework(env());
    expect(run.code).toBe(1);
    expect(run.output).not.toContain('Serving function');
    expect(run.output).toContain(message);
  }, 60_000);
});

describe('issue #15 item 13: a published key is refused however it is spelled', () => {
  // Node decodes base64 leniently and JSON has escapes, so the same key bytes have many spellings.
  const secretOf = (v: string) => (JSON.parse(v) as { secret?: string; key?: string }[])[0]!;
  const spellings = () => {
    const token = secretOf(devTokenKeys).secret!, data = secretOf(devDataKeys).key!;
    return [
      ['a JSON escape in the token key', 'token-keys', `[{"kid":"prod-1","secret":"\\u00${token.charCodeAt(0).toString(16)}${token.slice(1)}"}]`],
      ['a space inside the token key', 'token-keys', JSON.stringify([{ kid: 'prod-1', secret: `${token.slice(0, 10)} ${token.slice(10)}` }])],
      ['a newline inside the data key', 'data-keys', JSON.stringify([{ version: 1, key: `${data.slice(0, 8)}\n${data.slice(8)}` }])],
      ['the token key without its padding', 'token-keys', JSON.stringify([{ kid: 'prod-1', secret: token.replace(/=+$/, '') }])],
    ] as const;
  };
  it('refuses every spelling that decodes to a published key', async () => {
    for (const [name, secret, value] of spellings()) {
      const config = loadConfig({ ...PRODUCTION, [secret === 'token-keys' ? 'RECKON_TOKEN_KEYS' : 'RECKON_DATA_KEYS']: value });
      await expect(refusePublishedDefaults(envSecretSource(config), config).get(secret), name).rejects.toThrow('is a published development key');
    }
  });
  it('does not start the function with the token key written with a JSON escape', async () => {
    const run = await startFramework({ ...goodSecrets(), RECKON_TOKEN_KEYS: spellings()[0][2] });
    expect(run.code).toBe(1);
    expect(run.output).not.toContain('Serving function');
  }, 60_000);
});

describe('issue #15 item 13: a published key from Secret Manager is refused too', () => {
  let fake: FakeSecretManager;
  beforeAll(async () => { fake = await startFakeSecretManager(); });
  afterAll(async () => { await fake.stop(); });

  it('refuses the development token key read from Secret Manager in production', async () => {
    const config = loadConfig({ ...PRODUCTION, GOOGLE_CLOUD_PROJECT: 'published-key' });
    fake.secrets.set('projects/published-key/secrets/token-keys', devTokenKeys);
    const source = cachedSecrets(refusePublishedDefaults(secretManagerSource(config, { apiEndpoint: fake.host, port: fake.port, sslCreds: grpc.credentials.createInsecure() }), config));
    await expect(source.get('token-keys')).rejects.toThrow(ConfigError);
  });

  it('still accepts the development defaults locally', async () => {
    const config = loadConfig({});
    expect(await refusePublishedDefaults(envSecretSource(config), config).get('token-keys')).toBe(devTokenKeys);
  });
});

describe('issue #15 item 13: a running instance whose secrets are missing or published writes nothing', () => {
  let reckon: Reckon;
  const origin = { origin: PRODUCTION.RECKON_SITE_ORIGIN };
  beforeAll(async () => { reckon = await startReckon({ ...PRODUCTION, RECKON_SECRETS: 'env', ...goodSecrets() }); });
  afterAll(async () => { await reckon.close(); configure({ ...process.env }); });

  it('registers normally with its own secrets (the control)', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount(), { headers: origin });
    expect(res.status).toBe(201);
  });

  it.each([
    ['the published token key', () => ({ ...goodSecrets(), RECKON_TOKEN_KEYS: devTokenKeys })],
    ['no data keys', () => ({ RECKON_TOKEN_KEYS: goodSecrets().RECKON_TOKEN_KEYS, RECKON_DATA_KEYS: '' })],
  ])('with %s, a register answers 503 and the database is unchanged', async (_name, secrets) => {
    configure({ ...process.env, GOOGLE_CLOUD_PROJECT: reckon.projectId, RECKON_LOG_LEVEL: 'silent', ...PRODUCTION, RECKON_SECRETS: 'env', ...secrets() });
    const before = await databaseDump(reckon.projectId);
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount(), { headers: origin });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('unavailable');
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });
});
