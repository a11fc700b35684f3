// Write-back outcomes over HTTP: the signed report the Forge app sends, what the room and the
// estimates API show of it, the moderator's retry — and every way to misuse them, refused
// without a document changed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import { poll, teammate, type Person } from '../support/rooms.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { bindSite } from '../support/forge.js';
import { sendSigned } from '../../shared/forge/signing-client.js';

const SITE = 'https://acme-poker.atlassian.net';
let reckon: Reckon;
let forge: FakeForge;
let acme: Person;
let globex: Person;
const sites: Record<'acme' | 'globex', { cloudId: string; secret: string }> = { acme: { cloudId: '', secret: '' }, globex: { cloudId: '', secret: '' } };
let sessionId: string;
let issueId: string;

const signed = (who: 'acme' | 'globex', method: 'GET' | 'POST', path: string, json?: unknown) =>
  sendSigned(reckon.url, { secrets: [sites[who].secret], cloudId: sites[who].cloudId, method, path, json }) as Promise<{ status: number; body: any }>;
const outcome = (o: object = {}) => ({ key: 'POKER-15', sessionId, issueId, estimate: '8', status: 'written', message: '', ...o });
const report = (outcomes: object[], who: 'acme' | 'globex' = 'acme') => signed(who, 'POST', '/api/forge/write-back', { outcomes });
const shown = async () => (await poll(acme.client, sessionId)).json.issues[0].jira.writeBack;

beforeAll(async () => {
  forge = await startFakeForge();
  reckon = await startReckon({ ...forge.env, RECKON_POLL_CACHE_MS: '0' });
  acme = await registeredClient(reckon);
  globex = await registeredClient(reckon);
  for (const [name, who] of [['acme', acme], ['globex', globex]] as const) {
    const b = await bindSite(reckon, forge, who);
    sites[name] = { cloudId: b.cloudId, secret: b.secret };
  }
  const requested = await signed('acme', 'POST', '/api/forge/events', { type: 'estimation_requested', cloudId: sites.acme.cloudId, siteUrl: SITE, issues: [{ key: 'POKER-15', fields: { summary: 'Undo a reveal' } }] });
  sessionId = requested.body.sessionId;
  issueId = requested.body.created[0].id;
  expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate: '8' })).status).toBe(200);
});
afterAll(async () => { await reckon.close(); await forge.close(); });

describe('write-back outcomes', () => {
  it('records an outcome on the issue, shows it in the room and returns it with the estimate', async () => {
    const res = await report([outcome({ status: 'failed', message: "Field 'customfield_10028' cannot be set." })]);
    expect(res.body).toMatchObject({ recorded: 1, ignored: [] });
    expect(await shown()).toMatchObject({ status: 'failed', estimate: '8', message: "Field 'customfield_10028' cannot be set." });
    const est = await signed('acme', 'GET', '/api/forge/estimates?keys=POKER-15');
    expect(est.body.estimates[0]).toMatchObject({ issueId, writeBack: { status: 'failed', estimate: '8' }, lastWrittenEstimate: null });
  });

  it('lets a moderator ask for a retry of a failure, not a member, not another team', async () => {
    const member = await teammate(reckon, acme, 'member');
    const path = `/api/forge/write-backs/${sessionId}/${issueId}/retry`;
    const before = await databaseDump(reckon.projectId);
    expect((await member.client.post(path)).status).toBe(403);
    expect((await globex.client.post(path)).status).toBe(404);
    expect((await new ApiClient(reckon).post(path)).status).toBe(401);
    expect((await acme.client.post(`/api/forge/write-backs/${sessionId}/nope/retry`)).status).toBe(404);
    expect(await databaseDump(reckon.projectId)).toBe(before);
    expect((await acme.client.post(path)).json.writeBack).toMatchObject({ status: 'retry', estimate: '8' });
    expect((await signed('acme', 'GET', '/api/forge/estimates?keys=POKER-15')).body.estimates[0].writeBack.status).toBe('retry');
  });

  it('answers lastWrittenEstimate from the last written outcome, and refuses a retry of a success', async () => {
    await report([outcome()]);
    expect(await shown()).toMatchObject({ status: 'written' });
    expect((await signed('acme', 'GET', '/api/forge/estimates?keys=POKER-15')).body.estimates[0].lastWrittenEstimate).toBe('8');
    const retry = await acme.client.post(`/api/forge/write-backs/${sessionId}/${issueId}/retry`);
    expect([retry.status, retry.json.error.code]).toEqual([409, 'conflict']);
  });

  it('ignores an outcome about an estimate the team has changed since', async () => {
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate: '13' })).status).toBe(200);
    const res = await report([outcome({ estimate: '8', status: 'skipped_changed_by_hand' })]);
    expect(res.body).toMatchObject({ recorded: 0, ignored: [issueId] });
    expect(await shown()).toMatchObject({ status: 'written', estimate: '8' }); // about the old estimate: the room shows nothing for 13
  });

  it("cannot touch another team's issue, even naming it exactly", async () => {
    const before = await databaseDump(reckon.projectId);
    const res = await report([outcome({ estimate: '13', status: 'failed', message: 'forged' })], 'globex');
    expect(res.body).toMatchObject({ recorded: 0, ignored: [issueId] });
    // Only globex's own delivery record and last-call time were written: acme's session is as it was.
    const acmeSession = (dump: string) => dump.split('\n').filter((l) => l.includes(`sessions/${sessionId}`)).join('\n');
    expect(acmeSession(await databaseDump(reckon.projectId))).toBe(acmeSession(before));
    expect(await shown()).toMatchObject({ status: 'written', estimate: '8' });
  });

  it('remembers a write the app made while the team cleared the estimate, so the next estimate may replace it', async () => {
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate: null })).status).toBe(200);
    expect((await report([outcome({ estimate: '13', status: 'written' })])).body).toMatchObject({ recorded: 1, ignored: [] });
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate: '13' })).status).toBe(200);
    expect((await signed('acme', 'GET', '/api/forge/estimates?keys=POKER-15')).body.estimates[0].lastWrittenEstimate).toBe('13');
  });

  it.each([
    ['no outcomes', { outcomes: [] }],
    ['an unknown status', { outcomes: [{ key: 'POKER-15', sessionId: 's', issueId: 'i', estimate: '8', status: 'overwritten' }] }],
    ['a status of Reckon’s own (retry)', { outcomes: [{ key: 'POKER-15', sessionId: 's', issueId: 'i', estimate: '8', status: 'retry' }] }],
    ['a bad key', { outcomes: [{ key: 'poker 15', sessionId: 's', issueId: 'i', estimate: '8', status: 'written' }] }],
    ['a path in the session id', { outcomes: [{ key: 'POKER-15', sessionId: '../x', issueId: 'i', estimate: '8', status: 'written' }] }],
    ['a message over 500 characters', { outcomes: [{ key: 'POKER-15', sessionId: 's', issueId: 'i', estimate: '8', status: 'failed', message: 'x'.repeat(501) }] }],
    ['101 outcomes', { outcomes: Array.from({ length: 101 }, () => ({ key: 'POKER-15', sessionId: 's', issueId: 'i', estimate: '8', status: 'written' })) }],
    ['an extra field', { outcomes: [{ key: 'POKER-15', sessionId: 's', issueId: 'i', estimate: '8', status: 'written', tenantId: 'x' }] }],
  ])('refuses %s (400, nothing written)', async (_name, body) => {
    const before = await databaseDump(reckon.projectId);
    const res = await signed('acme', 'POST', '/api/forge/write-back', body);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request']);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('refuses an unsigned report and a cookie', async () => {
    const before = await databaseDump(reckon.projectId);
    const res = await acme.client.post('/api/forge/write-back', { outcomes: [outcome()] });
    expect([res.status, res.json.error.code]).toEqual([401, 'forge_signature_missing']);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('takes a burst of reports for one issue: each recorded, the room consistent', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => report([outcome({ estimate: '13', status: n % 2 ? 'written' : 'failed', message: `run ${n}` })])));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(['written', 'failed']).toContain((await shown()).status);
  });
});
