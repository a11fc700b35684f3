// Insights fed by the Forge app (issue #19): an issue_updated event that brings the time logged or
// the status of a finalized issue moves it in the insight aggregates, as the Jira sync does (the
// sync later finds nothing new on the issue, so the event is the only one that can).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon, type ApiResponse } from '../support/reckon.js';
import { newSession, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { signRequest } from '../../shared/forge/signing-client.js';
import { bindSite } from '../support/forge.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';
let reckon: Reckon;
let jira: FakeJira;
let forge: FakeForge;
let admin: Person;
let install: { cloudId: string; secret: string };

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  forge = await startFakeForge();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0', RECKON_RATE_LIMITS: 'off', ...forge.env });
  admin = await registeredClient(reckon);
  expect((await admin.client.post('/api/jira/connections', { tenantId: admin.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN })).status).toBe(201);
  const bound = await bindSite(reckon, forge, admin);
  expect(bound.res.status).toBe(201);
  install = { cloudId: bound.cloudId, secret: bound.secret };
});
afterAll(async () => { await reckon?.close(); await jira?.close(); await forge?.close(); });

function sendEvent(json: object): Promise<ApiResponse> {
  const body = JSON.stringify(json);
  const headers = signRequest({ secrets: [install.secret], cloudId: install.cloudId, method: 'POST', path: '/api/forge/events', body });
  return new ApiClient(reckon).request('POST', '/api/forge/events', { rawBody: body, headers: { origin: undefined, 'content-type': 'application/json', ...headers } });
}

const insights = async () => (await admin.client.get(`/api/insights?tenantId=${admin.tenant.tenantId}`)).json;

describe('insights fed by Forge events', () => {
  it('counts the time and the status an issue_updated event brings to a finalized issue, and takes them back when the issue is deleted in Jira', async () => {
    const session = await newSession(admin);
    const connectionId = (await admin.client.get(`/api/jira/connections?tenantId=${admin.tenant.tenantId}`)).json.connections[0].id;
    const imported = await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys: ['POKER-12'] });
    const issueId = imported.json.created[0].id;
    expect((await admin.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '5' })).status).toBe(200);
    expect((await insights()).coverage).toMatchObject({ finalized: 1, linkedToJira: 1 });

    const cleared = { type: 'issue_updated', cloudId: install.cloudId, issue: { key: 'POKER-12', fields: { summary: 'Estimate button works again', timespent: null, status: { name: 'Done' } } } };
    expect((await sendEvent(cleared)).json).toMatchObject({ updated: 1 });
    expect((await insights()).coverage).toEqual({ finalized: 1, linkedToJira: 1, withTimeLogged: 0, openInJira: 0 });

    const event = { type: 'issue_updated', cloudId: install.cloudId, issue: { key: 'POKER-12', fields: { summary: 'Estimate button works again', timespent: 5400, status: { name: 'In Progress' } } } };
    expect((await sendEvent(event)).json).toMatchObject({ updated: 1 });
    const after = await insights();
    expect(after.coverage).toEqual({ finalized: 1, linkedToJira: 1, withTimeLogged: 1, openInJira: 1 });
    expect(after.cards).toEqual([expect.objectContaining({ card: '5', count: 1, timed: 1 })]);

    expect((await sendEvent({ type: 'issue_deleted', cloudId: install.cloudId, issue: { key: 'POKER-12' } })).json).toMatchObject({ marked: 1 });
    expect((await insights()).coverage).toMatchObject({ finalized: 1, linkedToJira: 0, openInJira: 0 });
  });
});
