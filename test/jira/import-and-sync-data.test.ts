// What Reckon keeps of Jira's data through an import and the sync, against the fake Jira site:
// long titles cut between characters, story points from the field they came from, retriable
// bulk-fetch failures told apart from deleted issues, and a second sync that writes nothing.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, poll, type Person } from '../support/rooms.js';
import { startFakeJira, EFFORT_BOARD, EFFORT_FIELD, type FakeJira } from '../support/fakes/jira.js';
import { runJiraSync } from '../../shared/jobs/jira-sync.js';
import { READ_POSTS } from '../../shared/integrations/jira/guarded-fetch.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-data-test-token-0001';
let reckon: Reckon;
let jira: FakeJira;
let admin: Person;
let connectionId: string;

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0' });
  admin = await registeredClient(reckon);
  const c = await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
  connectionId = c.json.connection.id;
});
afterAll(async () => {
  expect(jira.requests.filter((r) => !(r.method === 'GET' || (r.method === 'POST' && READ_POSTS.includes(r.path))))).toEqual([]);
  await reckon.close();
  await jira.close();
});
beforeEach(() => { jira.options.changed = undefined; jira.options.gone = undefined; jira.options.failing = undefined; });

type Issue = { id: string; title: string; jira: { key: string; storyPoints: number | null; missing?: boolean; status: string | null } };
const importInto = (sessionId: string, body: object) => admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId, ...body });
const stateOf = async (sessionId: string) => (await poll(admin.client, sessionId)).json as { issues: Issue[] };
const byKey = (issues: Issue[]) => Object.fromEntries(issues.map((i) => [i.jira.key, i]));
/** A fresh session holding an import. */
async function imported(body: object): Promise<string> {
  const s = await newSession(admin);
  expect((await importInto(s.id, body)).status).toBe(200);
  return s.id;
}

const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

describe('long titles', () => {
  // 199 characters, then what must not be split at 200.
  const summaries = {
    'POKER-12': `${'a'.repeat(199)}😀 and more after the emoji`,
    'WEB-3': `${'b'.repeat(198)}🇩🇪🇫🇷 flags`,
    'POKER-15': `${'c'.repeat(199)}e\u0301 accent`,
    'POKER-16': `${'d'.repeat(196)}👩‍💻 at work`,
  };

  it('are cut between characters, and a sync with nothing changed in Jira writes nothing', async () => {
    jira.options.changed = Object.fromEntries(Object.entries(summaries).map(([k, summary]) => [k, { summary }]));
    const sessionId = await imported({ jql: 'project = POKER' });
    const issues = byKey((await stateOf(sessionId)).issues);
    expect(issues['POKER-12']!.title).toBe('a'.repeat(199));
    expect(issues['WEB-3']!.title).toBe(`${'b'.repeat(198)}`);
    expect(issues['POKER-15']!.title).toBe('c'.repeat(199));
    expect(issues['POKER-16']!.title).toBe('d'.repeat(196));
    for (const i of Object.values(issues)) expect(i.title).not.toMatch(lone);

    // Any write would change the issue (the sync stamps jira.syncedAt).
    const before = (await stateOf(sessionId)).issues;
    for (let run = 0; run < 2; run++) expect(await runJiraSync(Date.now())).toMatchObject({ updated: 0, gone: 0, failed: [] });
    expect((await stateOf(sessionId)).issues).toEqual(before);
  });

  it('that fit are kept whole, emoji included', async () => {
    jira.options.changed = { 'POKER-12': { summary: `${'a'.repeat(194)}😀🇩🇪` } };
    const sessionId = await imported({ keys: ['POKER-12'] });
    expect((await stateOf(sessionId)).issues[0]!.title).toBe(`${'a'.repeat(194)}😀🇩🇪`);
  });
});

describe("story points from a board's estimation field", () => {
  it('are kept by the sync while nothing changed in Jira, and follow that field when it changes', async () => {
    const sessionId = await imported({ sprint: { boardId: EFFORT_BOARD, sprintId: 37 } });
    const points = async () => Object.fromEntries((await stateOf(sessionId)).issues.map((i) => [i.jira.key, i.jira.storyPoints]));
    // Board 3 estimates in "Team effort"; POKER-16 has none there, so the site's story points count.
    expect(await points()).toEqual({ 'POKER-12': 13, 'WEB-3': 2, 'POKER-15': 5, 'POKER-16': 8 });
    const before = (await stateOf(sessionId)).issues;
    await runJiraSync(Date.now());
    expect((await stateOf(sessionId)).issues).toEqual(before);
    expect(await points()).toEqual({ 'POKER-12': 13, 'WEB-3': 2, 'POKER-15': 5, 'POKER-16': 8 });

    jira.options.changed = { 'POKER-12': { [EFFORT_FIELD]: 21 }, 'WEB-3': { customfield_10016: 40 } };
    await runJiraSync(Date.now());
    expect(await points()).toEqual({ 'POKER-12': 21, 'WEB-3': 2, 'POKER-15': 5, 'POKER-16': 8 });
    const search = jira.requests.filter((r) => r.path === '/rest/api/3/issue/bulkfetch').at(-1)!;
    expect(JSON.parse(search.body).fields).toContain(EFFORT_FIELD);
  });
});

describe('issues Jira does not return', () => {
  it('are left as they are when Jira failed to return them just now, and marked when Jira no longer has them', async () => {
    const sessionId = await imported({ keys: ['POKER-12', 'WEB-3', 'POKER-15'] });
    jira.options.failing = ['WEB-3'];
    jira.options.changed = { 'POKER-12': { summary: 'Renamed in Jira' } };
    const before = byKey((await stateOf(sessionId)).issues);
    const report = await runJiraSync(Date.now());
    // Every session of this file holds POKER-12 and WEB-3; none loses an issue.
    expect(report).toMatchObject({ gone: 0, failed: [] });
    expect(report.unavailable).toBeGreaterThanOrEqual(1);
    const during = byKey((await stateOf(sessionId)).issues);
    expect(during['WEB-3']).toEqual(before['WEB-3']);
    expect(during['POKER-15']!.jira.missing).toBe(false);
    expect(during['POKER-12']!.title).toBe('Renamed in Jira');

    jira.options.failing = undefined;
    jira.options.gone = ['WEB-3'];
    await runJiraSync(Date.now());
    const after = byKey((await stateOf(sessionId)).issues);
    expect(after['WEB-3']!.jira.missing).toBe(true);
    expect(after['POKER-15']!.jira.missing).toBe(false);
  });

  it('are reported by a keys import as unavailable, not as missing, when Jira failed to return them', async () => {
    const s = await newSession(admin);
    jira.options.failing = ['POKER-15'];
    const res = await importInto(s.id, { keys: ['POKER-12', 'POKER-15'] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ created: [{ key: 'POKER-12' }], missing: [], unavailable: ['POKER-15'] });
    jira.options.failing = undefined;
    const again = await importInto(s.id, { keys: ['POKER-15', 'NOPE-1'] });
    expect(again.json).toMatchObject({ created: [{ key: 'POKER-15' }], missing: ['NOPE-1'], unavailable: [] });
  });
});
