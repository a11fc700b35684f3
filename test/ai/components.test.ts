// Jira components in the suggestion's similarity (issue #18 item 4): the import and the sync keep
// each issue's components (names only, from Jira's `components: [{self, id, name}]`), and an
// issue the words find equally like two others is matched to the one of its component.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, poll, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { newFirestore } from '../support/firestore.js';
import { runJiraSync } from '../../shared/jobs/jira-sync.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-components-test-token-0001';
let reckon: Reckon;
let jira: FakeJira;
let admin: Person;
let connectionId: string;

const component = (id: string, name: string) => ({ self: `${SITE}/rest/api/3/component/${id}`, id, name, description: `${name} team's work` });
const BILLING = component('10001', 'Billing');
const WEB_UI = component('10002', 'Web UI');

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0' });
  admin = await registeredClient(reckon);
  connectionId = (await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN })).json.connection.id;
  // Titles the words find equally similar to the third (one shared word each; a tie goes to the
  // smaller card): the component decides.
  jira.options.changed = {
    'POKER-12': { summary: 'Refund webhook retries', description: null, issuetype: { name: 'Story' }, components: [BILLING] },
    'WEB-3': { summary: 'Webhook settings page', description: null, issuetype: { name: 'Story' }, components: [WEB_UI] },
    'POKER-15': { summary: 'Webhook timeout', description: null, issuetype: { name: 'Bug' }, components: [BILLING, component('10003', 'Billing')] },
  };
}, 60_000);
afterAll(async () => {
  await reckon.close();
  await jira.close();
});

const importInto = async (sessionId: string, keys: string[]) => expect((await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId, keys })).status).toBe(200);
const idsByKey = async (sessionId: string) => Object.fromEntries(((await poll(admin.client, sessionId)).json.issues as { id: string; jira: { key: string } }[]).map((i) => [i.jira.key, i.id]));

describe('Jira components', () => {
  it('are kept by the import and the sync (names only) and decide between issues the words find equally similar', async () => {
    const past = (await newSession(admin, { name: 'Past' })).id;
    await importInto(past, ['POKER-12', 'WEB-3']);
    const done = await idsByKey(past);
    for (const [key, estimate] of [['POKER-12', '13'], ['WEB-3', '2']] as const) {
      expect((await admin.client.post(`/api/sessions/${past}/finalize`, { issueId: done[key], estimate })).status).toBe(200);
    }
    const now = (await newSession(admin, { name: 'Now' })).id;
    await importInto(now, ['POKER-15']);
    const target = (await idsByKey(now))['POKER-15']!;
    const db = newFirestore({ projectId: reckon.projectId });
    expect((await db.doc(`sessions/${now}/issues/${target}`).get()).get('jira.components')).toEqual(['Billing']);
    await db.terminate();
    const suggestion = await admin.client.get(`/api/ai/sessions/${now}/issues/${target}/suggestion`);
    expect(suggestion.json).toMatchObject({ source: 'statistical', suggestion: { estimate: '13', basedOn: [{ key: 'POKER-12', title: 'Refund webhook retries', finalEstimate: '13' }, { key: 'WEB-3' }] } });

    // Moved to another component in Jira: the sync keeps the new one, and the suggestion follows.
    jira.options.changed = { ...jira.options.changed, 'POKER-15': { ...jira.options.changed!['POKER-15'], components: [WEB_UI] } };
    await runJiraSync(Date.now());
    const moved = await admin.client.get(`/api/ai/sessions/${now}/issues/${target}/suggestion`);
    expect(moved.json.suggestion).toMatchObject({ estimate: '2', basedOn: [{ key: 'WEB-3', title: 'Webhook settings page' }, { key: 'POKER-12' }] });
  });
});
