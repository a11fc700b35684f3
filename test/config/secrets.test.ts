// Secrets: env locally, Secret Manager in production (the real client against a local fake server).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadConfig, ConfigError } from '../../shared/config/config.js';
import { envSecretSource, secretManagerSource, cachedSecrets } from '../../shared/config/secrets.js';
import * as grpc from '@grpc/grpc-js';
import { startFakeSecretManager, type FakeSecretManager } from '../support/fakes/secret-manager.js';

let fake: FakeSecretManager;
beforeAll(async () => { fake = await startFakeSecretManager(); });
afterAll(async () => { await fake.stop(); });

const production = { RECKON_ENV: 'production', GOOGLE_CLOUD_PROJECT: 'reckon-prod', RECKON_SITE_ORIGIN: 'https://reckon.example' };

describe('configuration', () => {
  it('runs locally with no settings at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ env: 'local', siteOrigin: 'http://localhost:8080', secretsFrom: 'env', accessTokenTtlS: 900, refreshTokenTtlS: 604800 });
  });

  it('reads secrets from Secret Manager in production', () => {
    expect(loadConfig(production).secretsFrom).toBe('secret-manager');
  });

  it.each([
    ['an http origin in production', { ...production, RECKON_SITE_ORIGIN: 'http://reckon.example' }],
    ['a malformed origin', { RECKON_SITE_ORIGIN: 'not a url' }],
    ['an absurd token lifetime', { RECKON_ACCESS_TOKEN_TTL_S: '999999' }],
  ])('names the bad setting: %s', (_name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});

describe('secrets', () => {
  it('come from the environment locally, with public development defaults', async () => {
    expect(await envSecretSource(loadConfig({ RECKON_TOKEN_KEYS: '[{"kid":"a","secret":"x"}]' })).get('token-keys')).toBe('[{"kid":"a","secret":"x"}]');
    expect(JSON.parse(await envSecretSource(loadConfig({})).get('token-keys'))[0].kid).toBe('local-1');
  });

  it('have no default in production', async () => {
    await expect(envSecretSource(loadConfig({ ...production, RECKON_SECRETS: 'env' })).get('token-keys')).rejects.toThrow(ConfigError);
  });

  it('are read from Secret Manager through the official client', async () => {
    fake.secrets.set('projects/reckon-prod/secrets/token-keys', '[{"kid":"prod-1","secret":"c2VjcmV0"}]');
    const source = secretManagerSource(loadConfig(production), { apiEndpoint: fake.host, port: fake.port, sslCreds: grpc.credentials.createInsecure() });
    expect(await source.get('token-keys')).toBe('[{"kid":"prod-1","secret":"c2VjcmV0"}]');
    expect(fake.requests.at(-1)).toBe('projects/reckon-prod/secrets/token-keys/versions/latest');
  });

  it('surface a missing secret as an error', async () => {
    const source = secretManagerSource(loadConfig({ ...production, GOOGLE_CLOUD_PROJECT: 'empty-project' }), { apiEndpoint: fake.host, port: fake.port, sslCreds: grpc.credentials.createInsecure() });
    await expect(source.get('token-keys')).rejects.toMatchObject({ code: 5 });
  });

  it('are cached per instance for five minutes, and a failure is not cached', async () => {
    fake.secrets.set('projects/cache-test/secrets/token-keys', 'v1');
    let clock = 0;
    const source = cachedSecrets(secretManagerSource(loadConfig({ ...production, GOOGLE_CLOUD_PROJECT: 'cache-test' }), { apiEndpoint: fake.host, port: fake.port, sslCreds: grpc.credentials.createInsecure() }), () => clock);
    const before = fake.requests.length;
    expect(await source.get('token-keys')).toBe('v1');
    fake.secrets.set('projects/cache-test/secrets/token-keys', 'v2');
    clock = 4 * 60_000;
    expect(await source.get('token-keys')).toBe('v1');
    clock = 6 * 60_000;
    expect(await source.get('token-keys')).toBe('v2');
    expect(fake.requests.length - before).toBe(2);
  });
});
