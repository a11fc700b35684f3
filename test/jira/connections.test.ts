// Jira connections and imports over HTTP: the real jira.js against a fake Jira Cloud site, and
// the fake's log proves that nothing but reads ever reached it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, newSession, poll, teammate, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { READ_POSTS } from '../../shared/integrations/jira/guarded-fetch.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';
let reckon: Reckon;
let jira: FakeJira;
let admin: Person;
let outsider: Person;
let connectionId: string;
beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0' });
  admin = await registeredClient(reckon);
  outsider = await registeredClient(reckon);
  const res = await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
  expect(res.status).toBe(201);
  connectionId = res.json.connection.id;
});
afterAll(async () => {
  // Whatever the tests did, the site only ever saw reads.
  expect(jira.requests.filter((r) => !(r.method === 'GET' || (r.method === 'POST' && READ_POSTS.includes(r.path))))).toEqual([]);
  await reckon.close();
  await jira.close();
});

const importInto = (who: Person, body: object) => who.client.post(`/api/jira/connections/${connectionId}/import`, body);

describe('connecting a Jira site', () => {
  it('checks the credentials, finds the story-point fields, and never hands the token back', async () => {
    const res = await admin.client.get(`/api/jira/connections?tenantId=${admin.tenant.tenantId}`);
    expect(res.json.connections).toEqual([expect.objectContaining({
      id: connectionId, siteUrl: SITE, accountEmail: 'mia@acme.example', tokenHint: '…Zq9'.replace('…Zq9', `…${TOKEN.slice(-4)}`), jiraAccountName: 'Mia Krystof',
      storyPointFieldIds: ['customfield_10016', 'customfield_10028', 'customfield_10057'],
    })]);
    expect(res.text).not.toContain(TOKEN);
    const stored = (await newFirestore({ projectId: reckon.projectId }).doc(`jiraConnections/${connectionId}`).get()).data()!;
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    expect(stored.secret).toMatchObject({ v: 1, keyVersion: 1 });
  });

  it('refuses credentials Jira does not accept, and saves nothing', async () => {
    const other = await registeredClient(reckon);
    const res = await other.client.post('/api/jira/connections', { tenantId: other.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: 'ATATT-wrong-token-xxxx' });
    expect([res.status, res.json.error.code]).toEqual([400, 'jira_credentials_rejected']);
    expect((await other.client.get(`/api/jira/connections?tenantId=${other.tenant.tenantId}`)).json.connections).toEqual([]);
  });

  it('says when no Jira site answers at the address, and saves nothing', async () => {
    const other = await registeredClient(reckon);
    jira.options.noSite = true;
    const missing = await other.client.post('/api/jira/connections', { tenantId: other.tenant.tenantId, siteUrl: 'https://acme-pokr.atlassian.net', email: 'mia@acme.example', apiToken: TOKEN });
    jira.options.noSite = undefined;
    jira.options.redirectTo = 'https://id.atlassian.com/login';
    const redirected = await other.client.post('/api/jira/connections', { tenantId: other.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
    jira.options.redirectTo = undefined;
    for (const res of [missing, redirected]) {
      expect([res.status, res.json.error.code]).toEqual([400, 'jira_site_not_found']);
      expect(res.json.error.message).toContain('check the site URL');
    }
    expect((await other.client.get(`/api/jira/connections?tenantId=${other.tenant.tenantId}`)).json.connections).toEqual([]);
  });

  it('re-tests a connection and lets an admin delete it', async () => {
    const res = await admin.client.post(`/api/jira/connections/${connectionId}/test`);
    expect(res.json.connection.jiraAccountName).toBe('Mia Krystof');
    const extra = await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
    expect((await admin.client.delete(`/api/jira/connections/${extra.json.connection.id}`)).status).toBe(204);
    expect((await admin.client.get(`/api/jira/connections?tenantId=${admin.tenant.tenantId}`)).json.connections).toHaveLength(1);
  });

  it('lets members use a connection but only admins manage it', async () => {
    const member = await teammate(reckon, admin, 'member');
    expect((await member.client.get(`/api/jira/connections/${connectionId}/boards`)).status).toBe(200);
    const manage = await member.client.post(`/api/jira/connections/${connectionId}/test`);
    expect([manage.status, manage.json.error.code]).toEqual([403, 'forbidden']);
    expect((await member.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'a@b.example', apiToken: TOKEN })).status).toBe(403);
  });

  it('is invisible and unusable to another team (404, as for a missing one)', async () => {
    for (const res of [
      await outsider.client.get(`/api/jira/connections?tenantId=${admin.tenant.tenantId}`),
      await outsider.client.get(`/api/jira/connections/${connectionId}/boards`),
      await outsider.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = POKER' }),
      await outsider.client.delete(`/api/jira/connections/${connectionId}`),
    ]) expect(res.status).toBe(404);
    const theirs = await newSession(outsider);
    expect((await importInto(outsider, { sessionId: theirs.id, jql: 'project = POKER' })).status).toBe(404);
  });
});

describe('browsing', () => {
  it('lists boards, their active and future sprints, and counts a JQL', async () => {
    expect((await admin.client.get(`/api/jira/connections/${connectionId}/boards`)).json.boards).toEqual([
      { id: 1, name: 'POKER board', type: 'scrum' }, { id: 2, name: 'WEB board', type: 'simple' }, { id: 3, name: 'Effort board', type: 'scrum' },
    ]);
    const sprints = (await admin.client.get(`/api/jira/connections/${connectionId}/boards/1/sprints`)).json.sprints;
    expect(sprints.map((s: { name: string }) => s.name)).toContain('POKER Sprint 14');
    expect(jira.requests.at(-1)!.query.get('state')).toBe('active,future');
    expect((await admin.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = POKER' })).json).toEqual({ count: 4 });
  });

  it("says when the Jira account lacks a permission, with Jira's message", async () => {
    jira.options.forbidden = ['/rest/agile/1.0/board/1/sprint'];
    const res = await admin.client.get(`/api/jira/connections/${connectionId}/boards/1/sprints`);
    jira.options.forbidden = undefined;
    expect([res.status, res.json.error.code]).toEqual([403, 'jira_forbidden']);
    expect(res.json.error.message).toContain("You currently don't have access to perform this operation.");
  });

  it("shows Jira's own message for a JQL error", async () => {
    const res = await admin.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = "POKER' });
    expect([res.status, res.json.error.code]).toEqual([400, 'jira_jql_invalid']);
    expect(res.json.error.message).toContain("The quoted string 'POKER' has not been completed");
  });
});

describe('importing into a session', () => {
  it('imports a JQL across pages with key, link, status, story points and the description as text', async () => {
    const s = await newSession(admin);
    const res = await importInto(admin, { sessionId: s.id, jql: 'project = POKER ORDER BY rank' });
    expect(res.status).toBe(200);
    expect(res.json.created.map((c: { key: string }) => c.key)).toEqual(['POKER-12', 'WEB-3', 'POKER-15', 'POKER-16']);
    const state = (await poll(admin.client, s.id)).json;
    const first = state.issues[0];
    expect(first).toMatchObject({ title: 'Let the session owner re-open voting after a revote is requested', jira: { key: 'POKER-12', url: `${SITE}/browse/POKER-12`, status: 'In Progress', storyPoints: 5 } });
    const withDescription = await admin.client.post(`/api/sessions/${s.id}/current`, { issueId: first.id });
    expect(withDescription.status).toBe(200);
    const current = (await poll(admin.client, s.id)).json.currentIssue;
    expect(current.description).toContain('### Context');
    expect(current.description).toContain('@Tomás Ferreira');
    // Script-like text in Jira stays text: it is shown as characters (the site renders text nodes).
    expect(current.description).toContain('Text like <script>alert(1)</script> must render as text');
    expect(current.description).toContain('the design notes (https://acme.example/wiki/revote)');
    expect(current.description).toContain('- Keep round 1 votes, read-only');
    expect(current.description).toContain('```\nawait session.reopen({ keepRound: 1 });\n```');
  });

  it('updates issues already in the session instead of adding them again', async () => {
    const s = await newSession(admin);
    await addIssues(admin, s.id, ['Typed by hand']);
    await importInto(admin, { sessionId: s.id, jql: 'project = POKER' });
    const again = await importInto(admin, { sessionId: s.id, keys: ['POKER-12', 'WEB-3'] });
    expect(again.json.created).toEqual([]);
    expect(again.json.updated.map((u: { key: string }) => u.key)).toEqual(['POKER-12', 'WEB-3']);
    expect((await poll(admin.client, s.id)).json.issues).toHaveLength(5);
  });

  it('imports by keys and names the keys Jira does not have', async () => {
    const s = await newSession(admin);
    const res = await importInto(admin, { sessionId: s.id, keys: ['POKER-15', 'NOPE-1'] });
    expect(res.json).toMatchObject({ created: [{ key: 'POKER-15' }], missing: ['NOPE-1'] });
  });

  it("imports a board's sprint with the board's estimation field", async () => {
    const s = await newSession(admin);
    const res = await importInto(admin, { sessionId: s.id, sprint: { boardId: 1, sprintId: 37 } });
    expect(res.status).toBe(200);
    const search = jira.requests.filter((r) => r.path === '/rest/api/3/search/jql').at(-1)!;
    expect(JSON.parse(search.body)).toMatchObject({ jql: 'sprint = 37 ORDER BY rank' });
    expect(JSON.parse(search.body).fields).toContain('customfield_10028');
  });

  it("decides on what the search finds, not on Jira's lagging approximate count: 205 found is refused whole", async () => {
    const s = await newSession(admin);
    jira.options.bigProject = 205;
    jira.options.count = 200; // the estimate lags behind
    try {
      const res = await importInto(admin, { sessionId: s.id, jql: 'project = BIG' });
      expect([res.status, res.json.error.code]).toEqual([409, 'limit_reached']);
      expect(res.json.error.message).toContain('more than 200');
    } finally { jira.options.bigProject = undefined; jira.options.count = undefined; }
    expect((await poll(admin.client, s.id)).json.issues).toEqual([]);
  });

  it('imports all 200 issues a search finds across pages, though the approximate count says fewer', async () => {
    const s = await newSession(admin);
    jira.options.bigProject = 200;
    jira.options.count = 190;
    const before = jira.requests.length;
    try {
      const res = await importInto(admin, { sessionId: s.id, jql: 'project = BIG ORDER BY key' });
      expect(res.status).toBe(200);
      expect(res.json.created).toHaveLength(200);
      expect(res.json.created.at(-1).key).toBe('BIG-200');
    } finally { jira.options.bigProject = undefined; jira.options.count = undefined; }
    expect(jira.requests.slice(before).filter((r) => r.path === '/rest/api/3/search/jql')).toHaveLength(2);
    expect((await poll(admin.client, s.id)).json.issues).toHaveLength(200);
  });

  it('says the connection is broken when Jira answers anonymously (a revoked token), and imports nothing', async () => {
    const s = await newSession(admin);
    jira.options.apiToken = 'ATATT-revoked-in-atlassian-account';
    try {
      for (const body of [{ jql: 'project = POKER' }, { keys: ['POKER-12', 'WEB-3'] }, { sprint: { boardId: 1, sprintId: 37 } }]) {
        const res = await importInto(admin, { sessionId: s.id, ...body });
        expect([JSON.stringify(body), res.status, res.json.error?.code]).toEqual([JSON.stringify(body), 409, 'jira_connection_broken']);
        expect(res.json.error.message).toContain('connect it again');
      }
      const count = await admin.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = POKER' });
      expect([count.status, count.json.error.code]).toEqual([409, 'jira_connection_broken']);
    } finally { jira.options.apiToken = TOKEN; }
    expect((await poll(admin.client, s.id)).json.issues).toEqual([]);
  });

  it('waits out a short rate limit, and reports a long one as 429 with Retry-After', async () => {
    jira.options.rateLimitNext = 1;
    expect((await admin.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = POKER' })).status).toBe(200);
    jira.options.rateLimitNext = 10;
    try {
      const res = await admin.client.post(`/api/jira/connections/${connectionId}/count`, { jql: 'project = POKER' });
      expect([res.status, res.json.error.code, res.headers['retry-after']]).toEqual([429, 'jira_rate_limited', '5']);
    } finally { jira.options.rateLimitNext = 0; }
  }, 30_000);

  it('lets only the session\'s moderators import', async () => {
    const member = await teammate(reckon, admin, 'member');
    const s = await newSession(admin);
    const res = await importInto(member, { sessionId: s.id, jql: 'project = POKER' });
    expect([res.status, res.json.error.code]).toEqual([403, 'forbidden']);
  });
});

describe('hostile input to the Jira endpoints', () => {
  const connect = (body: object) => admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, email: 'mia@acme.example', apiToken: TOKEN, siteUrl: SITE, ...body });
  it.each<[string, object, number]>([
    ['an http site', { siteUrl: 'http://acme-poker.atlassian.net' }, 400],
    ['a loopback site', { siteUrl: 'http://127.0.0.1:8080' }, 400],
    ['the metadata server', { siteUrl: 'http://169.254.169.254/computeMetadata/v1/' }, 400],
    ['an internal host', { siteUrl: 'https://jira.internal.corp' }, 400],
    ['a look-alike host', { siteUrl: 'https://acme.atlassian.net.evil.example' }, 400],
    ['credentials in the URL', { siteUrl: 'https://x@evil.example' }, 400],
    ['a 1 MB token', { apiToken: 'x'.repeat(1_000_000) }, 413],
    ['a 2 kB token', { apiToken: 'x'.repeat(2000) }, 400],
    ['a token that is not a string', { apiToken: { $gt: '' } }, 400],
    ['an extra field', { admin: true }, 400],
  ])('refuses %s and calls nobody', async (_name, body, status) => {
    const before = jira.requests.length;
    expect((await connect(body)).status).toBe(status);
    expect(jira.requests.length).toBe(before);
  });

  it.each<[string, object]>([
    ['a huge JQL', { jql: 'project = X AND '.repeat(200) }],
    ['no way to import', {}],
    ['two ways at once', { jql: 'project = X', keys: ['X-1'] }],
    ['a key with script', { keys: ['<script>-1'] }],
    ['201 keys', { keys: Array.from({ length: 201 }, (_, i) => `X-${i + 1}`) }],
  ])('refuses an import with %s', async (_name, body) => {
    const s = await newSession(admin);
    expect((await importInto(admin, { sessionId: s.id, ...body })).status).toBe(400);
  });
});
