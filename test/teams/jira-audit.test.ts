// The audit log records Jira connections added and removed (written in the same batch as the
// connection), and never holds the API token. Its own file: it needs Reckon with a fake Jira.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';

const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';
let reckon: Reckon;
let jira: FakeJira;
beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url });
});
afterAll(async () => { await reckon.close(); await jira.close(); });

it('records Jira connections added and removed, without the API token', async () => {
  const mia = await registeredClient(reckon, { displayName: 'Mia' });
  const tenantId = mia.tenant.tenantId;
  const c = await mia.client.post('/api/jira/connections', { tenantId, siteUrl: 'https://acme-poker.atlassian.net', email: 'mia@acme.example', apiToken: TOKEN });
  expect(c.status).toBe(201);
  expect((await mia.client.delete(`/api/jira/connections/${c.json.connection.id}`)).status).toBe(204);
  const events = (await mia.client.get(`/api/teams/${tenantId}/audit`)).json.events;
  expect(events.slice(0, 2)).toMatchObject([
    { action: 'jira.connection_removed', actor: { displayName: 'Mia' }, target: { type: 'jiraConnection', id: c.json.connection.id }, details: { siteUrl: 'https://acme-poker.atlassian.net' } },
    { action: 'jira.connection_added', target: { type: 'jiraConnection', id: c.json.connection.id } },
  ]);
  expect(await databaseDump(reckon.projectId)).not.toContain(TOKEN);
});
