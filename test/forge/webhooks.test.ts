// The forge function over HTTP on the embedded emulator: installations, every event, the
// estimates API, and each way a signed call can be wrong — refused with its status and, compared
// over the emulator's whole state, without a single document changed.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon, type ApiResponse } from '../support/reckon.js';
import { newFirestore, databaseDump } from '../support/firestore.js';
import { addIssues, newSession, poll, startRound, teammate, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { signRequest, sendSigned } from '../../shared/forge/signing-client.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { attestedCall, bindSite } from '../support/forge.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';
let reckon: Reckon;
let jira: FakeJira;
let acme: Person; // has a Jira connection to SITE
let globex: Person; // has none
const installs: Record<'acme' | 'globex', { cloudId: string; secret: string }> = { acme: { cloudId: '', secret: '' }, globex: { cloudId: '', secret: '' } };

let forge: FakeForge;
/** Binds a site of the fake Forge platform to the team (connect code + invocation token), as the app's admin page does. */
async function register(who: Person, cloudId: string = randomUUID()): Promise<{ cloudId: string; secret: string; res: ApiResponse }> {
  return bindSite(reckon, forge, who, { cloudId, installationId: forge.newSite().installationId });
}

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  forge = await startFakeForge();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0', ...forge.env });
  acme = await registeredClient(reckon);
  globex = await registeredClient(reckon);
  expect((await acme.client.post('/api/jira/connections', { tenantId: acme.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN })).status).toBe(201);
  for (const [name, who] of [['acme', acme], ['globex', globex]] as const) {
    const r = await register(who);
    expect(r.res.status).toBe(201);
    installs[name] = { cloudId: r.cloudId, secret: r.secret };
  }
});
afterAll(async () => { await reckon.close(); await jira.close(); await forge.close(); });

interface Call {
  method?: 'GET' | 'POST'; path?: string; json?: unknown;
  secrets?: string[]; cloudId?: string; timestampS?: number; deliveryId?: string;
  /** What is really sent, when it differs from what was signed. */
  send?: { method?: string; path?: string; body?: string; headers?: Record<string, string | undefined> };
}

/** Signs a call as the Forge app would, then sends it (tampered, when `send` says so). */
function signedCall(install: { cloudId: string; secret: string }, call: Call): Promise<ApiResponse> {
  const method = call.method ?? 'POST';
  const path = call.path ?? '/api/forge/events';
  const body = call.json === undefined ? '' : JSON.stringify(call.json);
  const headers = signRequest({ secrets: call.secrets ?? [install.secret], cloudId: call.cloudId ?? install.cloudId, method, path, body, timestampS: call.timestampS, deliveryId: call.deliveryId });
  const sentBody = call.send?.body ?? body;
  return new ApiClient(reckon).request(call.send?.method ?? method, call.send?.path ?? path, {
    rawBody: sentBody === '' ? undefined : sentBody,
    headers: { origin: undefined, ...(sentBody ? { 'content-type': 'application/json' } : {}), ...headers, ...call.send?.headers },
  });
}

const requestEvent = (cloudId: string, issues: object[]) => ({ type: 'estimation_requested', cloudId, siteUrl: SITE, issues });
const issueFields = (summary: string, extra: object = {}) => ({ summary, issuetype: { name: 'Story' }, status: { name: 'To Do' }, priority: { name: 'Medium' }, ...extra });

describe('installations', () => {
  it('shows the secret once, stores it only encrypted, and lists the installation without it', async () => {
    const list = await acme.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`);
    expect(list.json.installations).toEqual([expect.objectContaining({ cloudId: installs.acme.cloudId, status: 'active', lastDeliveryAt: null })]);
    expect(installs.acme.secret).toMatch(/^rkf_[A-Za-z0-9_-]{43}$/);
    expect(list.text).not.toContain(installs.acme.secret);
    const stored = (await newFirestore({ projectId: reckon.projectId }).doc(`forgeInstallations/${installs.acme.cloudId}`).get()).data()!;
    expect(JSON.stringify(stored)).not.toContain(installs.acme.secret);
    expect(stored.secret).toMatchObject({ v: 1, keyVersion: 1 });
  });

  it('gives a site to one team only, and only admins list installations', async () => {
    const taken = await register(globex, installs.acme.cloudId);
    expect([taken.res.status, taken.res.json.error.code]).toEqual([409, 'forge_site_bound_elsewhere']);
    const member = await teammate(reckon, acme, 'member');
    expect((await member.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`)).status).toBe(403);
  });

  it("hides another team's installation (404, as for a missing one)", async () => {
    expect((await globex.client.post(`/api/forge/installations/${installs.acme.cloudId}/revoke`)).status).toBe(404);
    expect((await globex.client.post(`/api/forge/installations/${randomUUID()}/revoke`)).status).toBe(404);
    expect((await globex.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`)).status).toBe(404);
  });
});

describe('events', () => {
  it("adds requested issues to the team's Requests session from the event when there is no Jira connection, once", async () => {
    const event = requestEvent(installs.globex.cloudId, [
      { key: 'WEB-7', fields: issueFields('Checkout fails on Safari', { description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Steps: open checkout' }] }] } }), storyPoints: 3 },
      { key: 'WEB-8', fields: issueFields('Dark mode') },
    ]);
    const first = await sendSigned(reckon.url, { secrets: [installs.globex.secret], cloudId: installs.globex.cloudId, method: 'POST', path: '/api/forge/events', json: event });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 'estimation_requested', source: 'event', missing: [], updated: [] });
    const sessionId = (first.body as { sessionId: string }).sessionId;
    const again = await sendSigned(reckon.url, { secrets: [installs.globex.secret], cloudId: installs.globex.cloudId, method: 'POST', path: '/api/forge/events', json: event });
    expect(again.body).toMatchObject({ sessionId, created: [] });
    expect((again.body as { updated: unknown[] }).updated).toHaveLength(2);

    const sessions = (await globex.client.get(`/api/sessions?tenantId=${globex.tenant.tenantId}`)).json.sessions;
    expect(sessions.map((s: { name: string }) => s.name)).toEqual(['Requests from Jira']);
    const state = (await poll(globex.client, sessionId)).json;
    expect(state.issues.map((i: { title: string; jira: { key: string; url: string; storyPoints: number } }) => [i.jira.key, i.title, i.jira.url, i.jira.storyPoints]))
      .toEqual([['WEB-7', 'Checkout fails on Safari', `${SITE}/browse/WEB-7`, 3], ['WEB-8', 'Dark mode', `${SITE}/browse/WEB-8`, null]]);
    const installation = (await globex.client.get(`/api/forge/installations?tenantId=${globex.tenant.tenantId}`)).json.installations[0];
    expect(installation.lastDeliveryAt).not.toBeNull();
  });

  it("reads requested issues through the team's Jira connection, and names keys nobody could read", async () => {
    const res = await signedCall(installs.acme, { json: requestEvent(installs.acme.cloudId, [{ key: 'POKER-12' }, { key: 'POKER-404' }]) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ source: 'jira', missing: ['POKER-404'] });
    expect(res.json.created.map((c: { key: string }) => c.key)).toEqual(['POKER-12']);
    const state = (await poll(acme.client, res.json.sessionId)).json;
    expect(state.issues[0]).toMatchObject({ title: 'Let the session owner re-open voting after a revote is requested', jira: { key: 'POKER-12', status: 'In Progress' } });
  });

  it('updates an issue in every session of the team that holds it, and a repeat changes nothing', async () => {
    const sprint = await newSession(acme);
    expect((await acme.client.post(`/api/jira/connections/${(await acme.client.get(`/api/jira/connections?tenantId=${acme.tenant.tenantId}`)).json.connections[0].id}/import`, { sessionId: sprint.id, keys: ['POKER-12'] })).status).toBe(200);
    const event = { type: 'issue_updated', cloudId: installs.acme.cloudId, issue: { key: 'POKER-12', id: '10012', ari: `ari:cloud:jira:${installs.acme.cloudId}:issue/10012`, fields: issueFields('Estimate button works again', { status: { name: 'Done' } }), storyPoints: 5 } };
    const res = await signedCall(installs.acme, { json: event });
    expect(res.json).toMatchObject({ type: 'issue_updated', updated: 2 });
    for (const sessions of [(await acme.client.get(`/api/sessions?tenantId=${acme.tenant.tenantId}`)).json.sessions]) {
      for (const s of sessions) {
        const issue = (await poll(acme.client, s.id)).json.issues.find((i: { jira: { key: string } | null }) => i.jira?.key === 'POKER-12');
        expect(issue).toMatchObject({ title: 'Estimate button works again', jira: { status: 'Done', storyPoints: 5 } });
      }
    }
    expect((await signedCall(installs.acme, { json: event })).json.updated).toBe(0);
    // Another team's event about the same key touches nothing of this team.
    expect((await signedCall(installs.globex, { json: { ...event, cloudId: installs.globex.cloudId, issue: { ...event.issue, ari: undefined } } })).json.updated).toBe(0);
  });

  it('marks a deleted issue in every session, once', async () => {
    const res = await signedCall(installs.acme, { json: { type: 'issue_deleted', cloudId: installs.acme.cloudId, issue: { key: 'POKER-12' } } });
    expect(res.json).toMatchObject({ type: 'issue_deleted', marked: 2 });
    expect((await signedCall(installs.acme, { json: { type: 'issue_deleted', cloudId: installs.acme.cloudId, issue: { key: 'POKER-12' } } })).json.marked).toBe(0);
    const requests = (await acme.client.get(`/api/sessions?tenantId=${acme.tenant.tenantId}`)).json.sessions.find((s: { name: string }) => s.name === 'Requests from Jira');
    expect((await poll(acme.client, requests.id)).json.issues[0].jira.missing).toBe(true);
  });
});

async function finalize(sessionId: string, issueId: string, estimate: string): Promise<void> {
  await startRound(acme, sessionId, issueId);
  const res = await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate });
  if (res.status !== 200) throw new Error(`finalize failed: ${res.status} ${res.text}`);
}

describe('the estimates API', () => {
  it("returns the team's latest final estimate per key with its session, and nothing of other teams", async () => {
    // POKER-15 estimated twice: first in an imported sprint session, later in the Requests session.
    const sprint = await newSession(acme, { name: 'Sprint 15' });
    const connectionId = (await acme.client.get(`/api/jira/connections?tenantId=${acme.tenant.tenantId}`)).json.connections[0].id;
    const inSprint = (await acme.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: sprint.id, keys: ['POKER-15'] })).json.created[0].id;
    await finalize(sprint.id, inSprint, '13');
    const imported = (await signedCall(installs.acme, { json: requestEvent(installs.acme.cloudId, [{ key: 'POKER-15' }]) })).json;
    const requestsId = imported.sessionId as string;
    await finalize(requestsId, imported.created[0].id, '8');
    // A local issue without a Jira key never answers for a key.
    const [local] = await addIssues(acme, sprint.id, ['POKER-16']);
    await finalize(sprint.id, local!, '1');

    const res = await signedCall(installs.acme, { method: 'GET', path: '/api/forge/estimates?keys=POKER-15,POKER-16,POKER-15' });
    expect(res.status).toBe(200);
    expect(res.json.estimates).toEqual([{ key: 'POKER-15', finalEstimate: '8', estimatedAt: expect.any(String), session: { id: requestsId, name: 'Requests from Jira', url: `${reckon.url}/#/s/${requestsId}` }, approval: null, issueId: expect.any(String), writeBack: null, lastWrittenEstimate: null }]);
    expect(res.json.notEstimated).toEqual(['POKER-16']);
    const other = await signedCall(installs.globex, { method: 'GET', path: '/api/forge/estimates?keys=POKER-15' });
    expect(other.json).toEqual({ estimates: [], notEstimated: ['POKER-15'] });
  });

  it("returns the client's approval beside the estimate once a portal user decided (issue #17)", async () => {
    const imported = (await signedCall(installs.acme, { json: requestEvent(installs.acme.cloudId, [{ key: 'POKER-16' }]) })).json;
    const sessionId = imported.sessionId as string;
    const issueId = imported.created[0].id as string;
    await finalize(sessionId, issueId, '5');
    const clientId = (await acme.client.post('/api/portal/clients', { tenantId: acme.tenant.tenantId, name: 'Acme client' })).json.client.id;
    expect((await acme.client.patch(`/api/sessions/${sessionId}`, { clientId })).status).toBe(200);
    const link = (await acme.client.post(`/api/portal/clients/${clientId}/links`, {})).json.url.split('#/portal/link/')[1];
    const carol = await registeredClient(reckon, { displayName: 'Carol Client' });
    expect((await carol.client.post('/api/portal/links/redeem', { token: link })).status).toBe(200);
    expect((await carol.client.post(`/api/portal/${clientId}/estimates/${sessionId}/${issueId}/approval`, { decision: 'approved', comment: 'Go' })).status).toBe(200);
    const res = await signedCall(installs.acme, { method: 'GET', path: '/api/forge/estimates?keys=POKER-16' });
    expect(res.json.estimates[0].approval).toEqual({ decision: 'approved', comment: 'Go', by: { displayName: 'Carol Client' }, at: expect.any(String) });
  });

  it('takes at most 100 keys, all of them Jira keys', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `POKER-${i + 1}`).join(',');
    for (const query of [`keys=${many}`, 'keys=', 'keys=poker-1', 'keys=POKER-1&extra=1', 'keys=POKER-1%27%20OR%201=1']) {
      const res = await signedCall(installs.acme, { method: 'GET', path: `/api/forge/estimates?${query}` });
      expect([query, res.status, res.json.error.code]).toEqual([query, 400, 'invalid_request']);
    }
  });
});

describe('what events keep and where requests go', () => {
  const connectionOf = async () => (await acme.client.get(`/api/jira/connections?tenantId=${acme.tenant.tenantId}`)).json.connections[0].id as string;
  /** A fresh session of acme's with one issue imported from Jira, shown as the current issue. */
  async function importedIssue(key: string): Promise<{ sessionId: string; current: () => Promise<{ title: string; description: string; jira: Record<string, unknown> }> }> {
    const s = await newSession(acme);
    const issueId = (await acme.client.post(`/api/jira/connections/${await connectionOf()}/import`, { sessionId: s.id, keys: [key] })).json.created[0].id;
    await acme.client.post(`/api/sessions/${s.id}/current`, { issueId });
    return { sessionId: s.id, current: async () => (await poll(acme.client, s.id)).json.currentIssue };
  }
  const updated = (key: string, fields: object, extra: object = {}) => ({ type: 'issue_updated', cloudId: installs.acme.cloudId, issue: { key, fields, ...extra } });
  const withoutSyncedAt = ({ syncedAt: _s, ...rest }: Record<string, unknown>) => rest;

  it('an issue_updated with only a summary changes the title and nothing else; an explicit null clears', async () => {
    const { current } = await importedIssue('POKER-16');
    const before = await current();
    expect(before.jira).toMatchObject({ status: 'Done', issueType: 'Story', assignee: 'Priya Raman', storyPoints: 8 });
    expect(before.description).not.toBe('');
    expect((await signedCall(installs.acme, { json: updated('POKER-16', { summary: 'CSV export, renamed in Jira' }) })).json.updated).toBeGreaterThanOrEqual(1);
    const after = await current();
    expect(after.title).toBe('CSV export, renamed in Jira');
    expect(after.description).toBe(before.description);
    expect(withoutSyncedAt(after.jira)).toEqual(withoutSyncedAt(before.jira));

    await signedCall(installs.acme, { json: updated('POKER-16', { summary: 'CSV export, renamed in Jira', description: null, assignee: null }) });
    const cleared = await current();
    expect([cleared.description, cleared.jira.assignee, cleared.jira.status, cleared.jira.issueType]).toEqual(['', null, 'Done', 'Story']);
  });

  it("an issue_updated keeps Jira's components (names only; the suggestion's similarity uses them), and one without them leaves them", async () => {
    const s = await newSession(acme);
    const issueId = (await acme.client.post(`/api/jira/connections/${await connectionOf()}/import`, { sessionId: s.id, keys: ['POKER-16'] })).json.created[0].id as string;
    const db = newFirestore({ projectId: reckon.projectId });
    const components = async () => (await db.doc(`sessions/${s.id}/issues/${issueId}`).get()).get('jira.components');
    const component = (id: string, name: string) => ({ self: `https://acme-poker.atlassian.net/rest/api/3/component/${id}`, id, name });
    await signedCall(installs.acme, { json: updated('POKER-16', { summary: 'Components moved', components: [component('1', 'Billing'), component('2', 'Web UI'), component('3', 'Billing'), { id: '4' }] }) });
    expect(await components()).toEqual(['Billing', 'Web UI']);
    await signedCall(installs.acme, { json: updated('POKER-16', { summary: 'Components kept' }) });
    expect(await components()).toEqual(['Billing', 'Web UI']);
    await signedCall(installs.acme, { json: updated('POKER-16', { summary: 'Components cleared', components: [] }) });
    expect(await components()).toEqual([]);
    await db.terminate();
  });

  it('an issue_updated whose description is malformed ADF is applied (what is not a node is skipped), never answered 500', async () => {
    const { current } = await importedIssue('POKER-15');
    const description = { type: 'doc', content: [{ type: 'heading', attrs: { level: -1 }, content: [{ type: 'text', text: 'Goal' }] }, null, { type: 'paragraph', content: { not: 'a list' } }, { type: 'paragraph', content: [{ type: 'date', attrs: { timestamp: 'soon' } }] }] };
    const res = await signedCall(installs.acme, { json: updated('POKER-15', { summary: 'Odd rich text', description }) });
    expect(res.status, res.text).toBe(200);
    expect(await current()).toMatchObject({ title: 'Odd rich text', description: '# Goal' });
  });

  it('an issue_updated with a long title cuts it between characters, and a repeat changes nothing', async () => {
    const { current } = await importedIssue('WEB-3');
    const summary = `${'w'.repeat(199)}🎉🇯🇵 and the rest`;
    expect((await signedCall(installs.acme, { json: updated('WEB-3', { summary }) })).json.updated).toBeGreaterThanOrEqual(1);
    expect((await current()).title).toBe('w'.repeat(199));
    expect((await signedCall(installs.acme, { json: updated('WEB-3', { summary }) })).json.updated).toBe(0);
  });

  it('a request into a closed Requests session starts a new one, and leaves the closed one as it was', async () => {
    const send = (key: string, summary: string) => signedCall(installs.globex, { json: requestEvent(installs.globex.cloudId, [{ key, fields: issueFields(summary) }]) });
    const first = await send('WEB-20', 'Keyboard shortcuts');
    const closedId = first.json.sessionId as string;
    expect((await globex.client.post(`/api/sessions/${closedId}/close`)).status).toBe(200);
    const closedBefore = (await poll(globex.client, closedId)).json.issues;

    const next = await send('WEB-21', 'Print view');
    expect(next.status).toBe(200);
    expect(next.json.sessionId).not.toBe(closedId);
    expect(next.json.created.map((c: { key: string }) => c.key)).toEqual(['WEB-21']);
    expect((await poll(globex.client, closedId)).json.issues).toEqual(closedBefore);
    const sessions = (await globex.client.get(`/api/sessions?tenantId=${globex.tenant.tenantId}`)).json.sessions as { id: string; name: string; status: string }[];
    expect(sessions.find((x) => x.id === next.json.sessionId)).toMatchObject({ name: 'Requests from Jira (2)', status: 'open' });

    // Closed again, then two requests at once: exactly one new session takes both.
    await globex.client.post(`/api/sessions/${next.json.sessionId}/close`);
    const burst = await Promise.all([send('WEB-22', 'Offline mode'), send('WEB-23', 'Bulk delete')]);
    expect(burst.map((r) => r.status)).toEqual([200, 200]);
    expect(new Set(burst.map((r) => r.json.sessionId)).size).toBe(1);
    const third = burst[0]!.json.sessionId as string;
    expect(((await poll(globex.client, third)).json.issues as { jira: { key: string } }[]).map((i) => i.jira.key).sort()).toEqual(['WEB-22', 'WEB-23']);
    const after = (await globex.client.get(`/api/sessions?tenantId=${globex.tenant.tenantId}`)).json.sessions as { name: string }[];
    expect(after.filter((x) => x.name.startsWith('Requests from Jira'))).toHaveLength(3);

    // A moderator who reopens the first one collects into it again.
    expect((await globex.client.post(`/api/sessions/${closedId}/reopen`)).status).toBe(200);
    expect((await send('WEB-24', 'Search')).json.sessionId).toBe(closedId);
  });
});

describe('refused calls change nothing', () => {
  const later = (minutes: number) => Math.floor(Date.now() / 1000) + minutes * 60;
  const ok = () => ({ json: { type: 'issue_deleted', cloudId: installs.acme.cloudId, issue: { key: 'POKER-1' } } });

  async function expectRefused(call: () => Promise<ApiResponse>, status: number, code: string): Promise<ApiResponse> {
    const before = await databaseDump(reckon.projectId);
    const res = await call();
    expect([res.status, res.json?.error?.code]).toEqual([status, code]);
    expect(await databaseDump(reckon.projectId)).toBe(before);
    expect(res.text).not.toContain(installs.acme.secret);
    return res;
  }

  it.each(['X-Reckon-Timestamp', 'X-Reckon-Delivery', 'X-Reckon-Cloud-Id', 'X-Reckon-Signature'])('without %s: 401', async (header) => {
    const res = await expectRefused(() => signedCall(installs.acme, { ...ok(), send: { headers: { [header]: undefined } } }), 401, 'forge_signature_missing');
    expect(res.json.error.message).toContain(header.toLowerCase());
  });

  it.each<[string, () => Call, number, string]>([
    ['a malformed signature', () => ({ ...ok(), send: { headers: { 'X-Reckon-Signature': 'sha256=abc' } } }), 401, 'forge_signature_malformed'],
    ['a malformed delivery id', () => ({ ...ok(), deliveryId: '../../users/x' }), 401, 'forge_signature_malformed'],
    ['a malformed timestamp', () => ({ ...ok(), send: { headers: { 'X-Reckon-Timestamp': 'yesterday' } } }), 401, 'forge_signature_malformed'],
    ['the wrong secret', () => ({ ...ok(), secrets: ['rkf_not-the-secret'] }), 401, 'forge_signature_invalid'],
    ['the body changed after signing', () => ({ ...ok(), send: { body: JSON.stringify({ type: 'issue_deleted', cloudId: installs.acme.cloudId, issue: { key: 'POKER-2' } }) } }), 401, 'forge_signature_invalid'],
    ['the path changed after signing', () => ({ method: 'GET', path: '/api/forge/estimates?keys=POKER-1', send: { path: '/api/forge/estimates?keys=POKER-2' } }), 401, 'forge_signature_invalid'],
    ['the method changed after signing', () => ({ method: 'GET', path: '/api/forge/events', send: { method: 'POST', body: JSON.stringify(ok().json) } }), 401, 'forge_signature_invalid'],
    ['the cloud id changed after signing', () => ({ ...ok(), send: { headers: { 'X-Reckon-Cloud-Id': installs.globex.cloudId } } }), 401, 'forge_signature_invalid'],
    ['a timestamp 6 minutes old', () => ({ ...ok(), timestampS: later(-6) }), 401, 'forge_timestamp_out_of_range'],
    ['a timestamp 6 minutes ahead', () => ({ ...ok(), timestampS: later(6) }), 401, 'forge_timestamp_out_of_range'],
    ["another team's cloud id, signed with this team's secret", () => ({ ...ok(), cloudId: installs.globex.cloudId }), 401, 'forge_signature_invalid'],
    ['an unknown cloud id', () => ({ ...ok(), cloudId: randomUUID() }), 401, 'forge_signature_invalid'],
    ['a body over 64 KiB', () => ({ json: requestEvent(installs.acme.cloudId, [{ key: 'POKER-1', fields: issueFields('x'.repeat(70_000)) }]) }), 413, 'body_too_large'],
    ['a payload naming another cloud', () => ({ json: { type: 'issue_deleted', cloudId: installs.globex.cloudId, issue: { key: 'POKER-1' } } }), 403, 'forge_cloud_id_mismatch'],
    ["an issue of another cloud", () => ({ json: requestEvent(installs.acme.cloudId, [{ key: 'POKER-1', cloudId: installs.globex.cloudId }]) }), 403, 'forge_cloud_id_mismatch'],
    ["an issue ARI of another cloud", () => ({ json: { type: 'issue_deleted', cloudId: installs.acme.cloudId, issue: { key: 'POKER-1', ari: `ari:cloud:jira:${installs.globex.cloudId}:issue/1` } } }), 403, 'forge_cloud_id_mismatch'],
    ['an unknown event type', () => ({ json: { type: 'issue_created', cloudId: installs.acme.cloudId, issue: { key: 'POKER-1' } } }), 400, 'invalid_request'],
    ['a site that is not Atlassian Cloud', () => ({ json: { ...requestEvent(installs.acme.cloudId, [{ key: 'POKER-1', fields: issueFields('x') }]), siteUrl: 'http://169.254.169.254' } }), 400, 'invalid_request'],
    ['a prototype key in the payload', () => ({ send: { body: `{"type":"app_uninstalled","cloudId":"${installs.acme.cloudId}","__proto__":{"x":1}}` }, json: undefined }), 401, 'forge_signature_invalid'],
    ['no body at all', () => ({}), 400, 'invalid_request'],
  ])('with %s', async (_name, call, status, code) => {
    await expectRefused(() => signedCall(installs.acme, call()), status, code);
  });

  it('a signed prototype key is refused as invalid input', async () => {
    const body = `{"type":"app_uninstalled","cloudId":"${installs.acme.cloudId}","__proto__":{"x":1}}`;
    const headers = signRequest({ secrets: [installs.acme.secret], cloudId: installs.acme.cloudId, method: 'POST', path: '/api/forge/events', body });
    await expectRefused(() => new ApiClient(reckon).request('POST', '/api/forge/events', { rawBody: body, headers: { origin: undefined, 'content-type': 'application/json', ...headers } }), 400, 'invalid_request');
  });

  // docs/forge.md lists the refusals in the order they are checked; a call that breaks two rules
  // gets the refusal listed first.
  const documentedOrder = (): string[] => {
    const doc = readFileSync(new URL('../../docs/forge.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('### Refusals'), doc.indexOf('## 3.'));
    return [...table.matchAll(/^\| \d{3} \| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
  };
  const unsigned = (body: string, contentType: string) => () => new ApiClient(reckon).request('POST', '/api/forge/events', { rawBody: body, headers: { origin: undefined, 'content-type': contentType } });
  const huge = JSON.stringify({ type: 'app_uninstalled', pad: 'x'.repeat(70_000) });
  it.each<[string, string, () => () => Promise<ApiResponse>]>([
    ['body_too_large', 'forge_signature_missing', () => unsigned(huge, 'application/json')],
    ['unsupported_media_type', 'forge_signature_missing', () => unsigned('type=app_uninstalled', 'text/plain')],
    ['body_too_large', 'unsupported_media_type', () => unsigned(huge, 'text/plain')],
    ['forge_signature_missing', 'forge_signature_malformed', () => () => signedCall(installs.acme, { ...ok(), send: { headers: { 'X-Reckon-Signature': undefined, 'X-Reckon-Timestamp': 'soon' } } })],
    ['forge_timestamp_out_of_range', 'forge_signature_malformed', () => () => signedCall(installs.acme, { ...ok(), timestampS: later(-10), send: { headers: { 'X-Reckon-Signature': 'sha256=abc' } } })],
    ['forge_signature_invalid', 'invalid_request', () => () => signedCall(installs.acme, { json: { type: 'issue_created' }, secrets: ['rkf_not-the-secret'] })],
    ['invalid_request', 'forge_cloud_id_mismatch', () => () => signedCall(installs.acme, { json: { type: 'issue_deleted', cloudId: installs.globex.cloudId, issue: { key: 'lower-1' } } })],
  ])('answers %s before %s, in the documented order', async (first, second, call) => {
    const order = documentedOrder();
    expect(order.indexOf(first)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(first)).toBeLessThan(order.lastIndexOf(second));
    const status: Record<string, number> = { body_too_large: 413, unsupported_media_type: 415, invalid_request: 400, forge_cloud_id_mismatch: 403 };
    await expectRefused(call(), status[first] ?? 401, first);
  });

  it('accepts a delivery id once', async () => {
    const deliveryId = randomUUID();
    expect((await signedCall(installs.acme, { ...ok(), deliveryId })).status).toBe(200);
    await expectRefused(() => signedCall(installs.acme, { ...ok(), deliveryId }), 409, 'forge_delivery_replayed');
  });

  it('takes both secrets during a rotation, and the old one no longer after the overlap', async () => {
    const old = installs.acme.secret;
    const installationId = (await acme.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`)).json.installations.find((i: { cloudId: string }) => i.cloudId === installs.acme.cloudId).installationId;
    const rotated = await attestedCall(reckon, '/api/forge/secret/rotate', await forge.invocationToken({ cloudId: installs.acme.cloudId, installationId }));
    expect(rotated.status).toBe(200);
    installs.acme.secret = rotated.json.secret;
    expect(rotated.json.installation.previousSecretValidUntil).toBe(new Date(Date.parse(rotated.json.installation.rotatedAt) + 24 * 3600_000).toISOString());
    expect((await signedCall(installs.acme, { ...ok(), secrets: [old] })).status).toBe(200);
    expect((await signedCall(installs.acme, { ...ok(), secrets: [installs.acme.secret] })).status).toBe(200);
    expect((await signedCall(installs.acme, { ...ok(), secrets: ['rkf_wrong', installs.acme.secret] })).status).toBe(200);
    // 24 hours pass: the overlap's end moves into the past.
    const db = newFirestore({ projectId: reckon.projectId });
    const { Timestamp } = await import('@google-cloud/firestore');
    await db.doc(`forgeInstallations/${installs.acme.cloudId}`).update({ previousSecretValidUntil: Timestamp.fromMillis(Date.now() - 1000) });
    await db.terminate();
    await expectRefused(() => signedCall(installs.acme, { ...ok(), secrets: [old] }), 401, 'forge_signature_invalid');
    expect((await signedCall(installs.acme, ok())).status).toBe(200);
  });

  it('refuses a revoked installation, and app_uninstalled revokes', async () => {
    const gone = await register(acme);
    expect((await acme.client.post(`/api/forge/installations/${gone.cloudId}/revoke`)).json.installation.status).toBe('revoked');
    await expectRefused(() => signedCall(gone, { json: { type: 'app_uninstalled', cloudId: gone.cloudId } }), 401, 'forge_installation_revoked');
    // Registered again (a reinstall), then uninstalled by the app itself.
    const again = await register(acme, gone.cloudId);
    expect(again.res.status).toBe(201);
    expect((await signedCall(again, { json: { type: 'app_uninstalled', cloudId: gone.cloudId } })).json).toMatchObject({ revoked: true });
    await expectRefused(() => signedCall(again, ok()), 401, 'forge_installation_revoked');
    const listed = (await acme.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`)).json.installations;
    expect(listed.find((i: { cloudId: string }) => i.cloudId === gone.cloudId).status).toBe('revoked');
  });

  it('needs no Origin and ignores cookies: a browser cannot make a signed call for anyone', async () => {
    const res = await acme.client.request('POST', '/api/forge/events', { body: ok().json });
    expect([res.status, res.json.error.code]).toEqual([401, 'forge_signature_missing']);
  });
});
