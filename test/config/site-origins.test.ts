// Issue #20 item 1: the site is served from several origins (PROJECT.web.app, PROJECT.firebaseapp.com,
// a custom domain); a change from any of them is accepted, from anywhere else refused, and links
// point to the first.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadConfig, configure, ConfigError } from '../../shared/config/config.js';
import { ApiClient, newAccount, startReckon, type Reckon } from '../support/reckon.js';

describe('RECKON_SITE_ORIGIN', () => {
  it('takes one origin or several separated by commas; the first is the one links use', () => {
    expect(loadConfig({}).siteOrigins).toEqual(['http://localhost:8080']);
    const c = loadConfig({ RECKON_SITE_ORIGIN: 'https://reckon.example/, https://demo.web.app,https://demo.firebaseapp.com' });
    expect(c.siteOrigin).toBe('https://reckon.example');
    expect(c.siteOrigins).toEqual(['https://reckon.example', 'https://demo.web.app', 'https://demo.firebaseapp.com']);
    expect(c.jobs.audience).toBe('https://reckon.example/api/jobs');
  });

  it.each([
    ['one http origin among https ones in production', { RECKON_ENV: 'production', RECKON_SITE_ORIGIN: 'https://demo.web.app,http://demo.firebaseapp.com' }],
    ['a malformed second origin', { RECKON_SITE_ORIGIN: 'https://demo.web.app,not a url' }],
    ['no origin at all', { RECKON_SITE_ORIGIN: ' , ' }],
  ])('refuses %s', (_name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});

describe('a change from each of the site origins', () => {
  let reckon: Reckon;
  beforeAll(async () => {
    reckon = await startReckon();
    configure({ ...process.env, GOOGLE_CLOUD_PROJECT: reckon.projectId, RECKON_LOG_LEVEL: 'silent', RECKON_SITE_ORIGIN: `https://reckon.example,${reckon.url},https://demo.firebaseapp.com` });
  });
  afterAll(() => reckon.close());

  it('is accepted from every listed origin, refused from any other, and invite links name the first', async () => {
    const from = (origin: string) => new ApiClient(reckon).post('/api/auth/register', newAccount(), { headers: { origin } });
    const [custom, local, firebaseApp, stranger] = await Promise.all([from('https://reckon.example'), from(reckon.url), from('https://demo.firebaseapp.com'), from('https://demo.firebaseapp.com.evil.example')]);
    expect([custom.status, local.status, firebaseApp.status]).toEqual([201, 201, 201]);
    expect([stranger.status, stranger.json.error.code]).toEqual([403, 'origin_not_allowed']);
    const admin = new ApiClient(reckon);
    admin.cookie = local.headers['set-cookie']!.find((c) => c.startsWith('__session='))!.split(';')[0];
    const invite = await admin.post(`/api/teams/${local.json.tenant.tenantId}/invites`, { role: 'member' });
    expect(invite.status).toBe(201);
    expect(invite.json.url).toMatch(/^https:\/\/reckon\.example\/#\/invite\//);
  });
});
