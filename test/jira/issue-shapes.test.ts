// What the API says about an issue's Jira link is its declared shape (docs/api.md, "jira"), on
// every route that shows one: never the stored object with whatever else it holds.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, poll, type Person } from '../support/rooms.js';
import { newFirestore } from '../support/firestore.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-shape-test-token-0001';
const JIRA_KEYS = ['assignee', 'connectionId', 'issueType', 'key', 'missing', 'pointsFieldId', 'priority', 'status', 'storyPoints', 'syncedAt', 'url', 'writeBack'];
let reckon: Reckon;
let jira: FakeJira;
let admin: Person;
let sessionId: string;
let issueId: string;

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0' });
  admin = await registeredClient(reckon);
  const c = await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
  sessionId = (await newSession(admin)).id;
  const imported = await admin.client.post(`/api/jira/connections/${c.json.connection.id}/import`, { sessionId, keys: ['POKER-12'] });
  expect(imported.status).toBe(200);
  issueId = imported.json.created[0].id;
  // What an older version, or a hand edit, may have left in the stored object.
  const db = newFirestore({ projectId: reckon.projectId });
  await db.doc(`sessions/${sessionId}/issues/${issueId}`).update({ 'jira.internalNote': 'not for the API', 'jira.tenantId': admin.tenant.tenantId });
  await db.terminate();
  expect((await admin.client.post(`/api/sessions/${sessionId}/current`, { issueId })).status).toBe(200);
});
afterAll(async () => {
  await reckon.close();
  await jira.close();
});

describe("an issue's Jira link", () => {
  it('has exactly its declared keys in the poll, in the agenda and as the current issue', async () => {
    const state = (await poll(admin.client, sessionId)).json;
    expect(Object.keys(state.issues[0].jira).sort()).toEqual(JIRA_KEYS);
    expect(Object.keys(state.currentIssue.jira).sort()).toEqual(JIRA_KEYS);
    expect(state.issues[0].jira).toMatchObject({ key: 'POKER-12', url: `${SITE}/browse/POKER-12`, missing: false });
  });

  it('has exactly its declared keys in the answer to an edit', async () => {
    const res = await admin.client.patch(`/api/sessions/${sessionId}/issues/${issueId}`, { title: 'Renamed here' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.issue.jira).sort()).toEqual(JIRA_KEYS);
  });
});
