// The rehearsal's smoke: one pass through what users do, over HTTP through the hosting proxy,
// each step checked; the first wrong answer throws with what came back.
import { randomUUID } from 'node:crypto';
import { ApiClient, registeredClient, type Reckon, type ApiResponse } from '../../test/support/api-client.js';
import { sendSigned } from '../../shared/forge/signing-client.js';

export interface SmokeSetup {
  jira: { site: string; email: string; apiToken: string }; schedulerToken: (audience: string) => Promise<string>;
  /** A Forge invocation token of a fresh site, from the (fake) Forge platform the functions trust. */
  forgeToken: () => Promise<{ cloudId: string; token: string }>;
}
export type Step = (name: string, check: () => Promise<void>) => Promise<void>;

function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
}
function expectThat(ok: unknown, what: string): void {
  if (!ok) throw new Error(what);
}

const poll = (client: ApiClient, sessionId: string, etag?: string) =>
  client.get(`/api/sessions/${sessionId}/state`, { headers: etag ? { 'if-none-match': etag } : {} });
const vote = (client: ApiClient, sessionId: string, issueId: string, round: number, value: string) =>
  client.put(`/api/votes/${sessionId}`, { issueId, round, value });

export async function smoke(reckon: Reckon, setup: SmokeSetup, step: Step): Promise<void> {
  const anonymous = new ApiClient(reckon);
  await step('the site: index.html with the security headers, hashed assets cached for a year, unknown /api 404', async () => {
    const page = await anonymous.get('/');
    expectStatus(page, 200, 'GET /');
    expectThat(String(page.headers['content-security-policy']).includes("default-src 'self'"), 'GET / has no Content-Security-Policy');
    const asset = /assets\/app-[^"]+\.js/.exec(page.text)?.[0];
    expectThat(asset, 'index.html names no app bundle');
    const js = await anonymous.get(`/${asset}`);
    expectStatus(js, 200, `GET /${asset}`);
    expectThat(String(js.headers['cache-control']).includes('immutable'), 'assets are not cached as immutable');
    expectStatus(await anonymous.get('/api/nothing-here'), 404, 'GET /api/nothing-here');
  });

  const owner = await registeredClient(reckon);
  const tenantId: string = owner.tenant.tenantId;
  let session = { id: '', joinCode: '' };
  let issueIds: string[] = [];
  let round = 0;
  const guestName = `Gia ${randomUUID().slice(0, 4)}`;
  let gia: ApiClient;
  await step('register, create a session, add issues, start a round', async () => {
    const created = await owner.client.post('/api/sessions', { tenantId, name: 'Rehearsal', deck: 'fibonacci' });
    expectStatus(created, 201, 'create session');
    session = created.json.session;
    const added = await owner.client.post(`/api/sessions/${session.id}/issues`, { issues: [{ title: 'Login page' }, { title: 'CSV export' }] });
    expectStatus(added, 201, 'add issues');
    issueIds = added.json.issues.map((i: { id: string }) => i.id);
    const current = await owner.client.post(`/api/sessions/${session.id}/current`, { issueId: issueIds[0] });
    expectStatus(current, 200, 'start a round');
    round = current.json.round;
    expectStatus(await owner.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' }), 201, 'owner joins as a voter');
  });
  await step('a guest joins by the code; both vote', async () => {
    gia = new ApiClient(reckon);
    expectStatus(await gia.post('/api/auth/guest', { joinCode: session.joinCode, displayName: guestName, role: 'voter' }), 201, 'guest joins');
    expectStatus(await vote(owner.client, session.id, issueIds[0]!, round, '5'), 200, 'owner votes');
    expectStatus(await vote(gia, session.id, issueIds[0]!, round, '8'), 200, 'guest votes');
  });
  await step('the poll answers with an ETag, then 304 for the same state', async () => {
    const first = await poll(gia, session.id);
    expectStatus(first, 200, 'first poll');
    const etag = first.headers.etag;
    expectThat(etag, 'the poll has no ETag');
    expectStatus(await poll(gia, session.id, etag), 304, 'poll with If-None-Match');
  });
  await step('reveal, finalize, and the CSV has the votes and the estimate', async () => {
    expectStatus(await owner.client.post(`/api/sessions/${session.id}/reveal`, { round }), 200, 'reveal');
    expectStatus(await owner.client.post(`/api/sessions/${session.id}/finalize`, { issueId: issueIds[0], estimate: '8' }), 200, 'finalize');
    const csv = await owner.client.get(`/api/sessions/${session.id}/results.csv`);
    expectStatus(csv, 200, 'results.csv');
    expectThat(String(csv.headers['content-type']).startsWith('text/csv'), 'results.csv is not text/csv');
    expectThat(csv.text.includes('Login page') && csv.text.includes(guestName), `results.csv lacks the issue or the guest's vote: ${csv.text}`);
  });

  let connectionId = '';
  await step('Jira: connect to the fake site and import an issue by key', async () => {
    const connected = await owner.client.post('/api/jira/connections', { tenantId, siteUrl: setup.jira.site, email: setup.jira.email, apiToken: setup.jira.apiToken });
    expectStatus(connected, 201, 'connect Jira');
    connectionId = connected.json.connection.id;
    const imported = await owner.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys: ['POKER-12'] });
    expectStatus(imported, 200, 'import POKER-12');
    expectThat(imported.json.created?.[0]?.key === 'POKER-12', `POKER-12 was not created: ${imported.text}`);
    expectStatus(await owner.client.post(`/api/sessions/${session.id}/finalize`, { issueId: imported.json.created[0].id, estimate: '13' }), 200, 'finalize POKER-12');
  });
  await step('the scheduler runs the Jira sync and retention with its OIDC token; no token is refused', async () => {
    const call = (authorization?: string) => new ApiClient(reckon).post('/api/jobs/jira-sync', undefined, { headers: { origin: undefined, authorization } });
    expectStatus(await call(), 401, 'jira-sync without a token');
    const ran = await call(`Bearer ${await setup.schedulerToken(`${reckon.url}/api/jobs`)}`);
    expectStatus(ran, 200, 'jira-sync');
    expectThat(ran.json.report?.failed?.length === 0, `the sync failed: ${ran.text}`);
    const retention = await new ApiClient(reckon).post('/api/jobs/retention', undefined, { headers: { origin: undefined, authorization: `Bearer ${await setup.schedulerToken(`${reckon.url}/api/jobs`)}` } });
    expectStatus(retention, 200, 'retention');
    expectThat(retention.json.report?.done === true && retention.json.report.sessions === 0, `retention deleted what it must keep: ${retention.text}`);
  });
  await step('Forge: bind a site with a connect code and an invocation token, then a signed call reads the final estimate', async () => {
    const code = await owner.client.post('/api/forge/connect-codes', { tenantId });
    expectStatus(code, 201, 'connect code');
    const { cloudId, token } = await setup.forgeToken();
    const installed = await new ApiClient(reckon).post('/api/forge/bind', { code: code.json.code }, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
    expectStatus(installed, 201, 'bind the site');
    const signed = await sendSigned(reckon.url, { method: 'GET', path: '/api/forge/estimates?keys=POKER-12', secrets: [installed.json.secret], cloudId });
    const estimates = (signed.body as { estimates?: { key: string; finalEstimate: string }[] }).estimates;
    expectThat(signed.status === 200 && estimates?.[0]?.finalEstimate === '13', `signed estimates call: ${signed.status} ${JSON.stringify(signed.body)}`);
    const unsigned = await new ApiClient(reckon).get('/api/forge/estimates?keys=POKER-12');
    expectThat(unsigned.status === 401, `an unsigned call answered ${unsigned.status}`);
  });
  await step('a team and an invite link on the site origin', async () => {
    const team = await owner.client.post('/api/teams', { name: 'Rehearsal team' });
    expectStatus(team, 201, 'create team');
    const invite = await owner.client.post(`/api/teams/${team.json.team.tenantId}/invites`, { role: 'member' });
    expectStatus(invite, 201, 'create invite');
    expectThat(String(invite.json.url).startsWith(`${reckon.url}/#/invite/`), `the invite link is not on the site: ${invite.json.url}`);
  });
}
