// The board's own estimation field (Jira Software's board configuration): where the project's
// boards agree on one, write-back uses it rather than the edit screen's story-point field; where
// they disagree, or the agile API answers nothing, the edit screen decides as before. Run against
// the fake Jira's agile endpoints (the recorded board list and configuration shapes).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../../test/support/reckon.js';
import { poll, type Person } from '../../test/support/rooms.js';
import { startFakeJira, EFFORT_FIELD, type FakeJira } from '../../test/support/fakes/jira.js';
import { startFakeForge, type FakeForge } from '../../test/support/fakes/forge.js';
import { connectCode } from '../../test/support/forge.js';
import { forgeHarness, type Harness } from './harness.js';
import { bindSite } from '../src/reckon.js';
import { requestEstimate } from '../src/issues.js';
import { pullEstimates } from '../src/write-back.js';
import { boardEstimationField } from '../src/fields.js';

const SITE = 'https://acme-poker.atlassian.net';
const WEB_POINTS = 'customfield_10016'; // project WEB's "Story point estimate" (its edit screen's)
let reckon: Reckon;
let jira: FakeJira;
let forge: FakeForge;
let acme: Person;
let app: Harness;
let web3: { sessionId: string; issueId: string };

beforeAll(async () => {
  // Board 3 ("Effort board", estimating in Team effort) is WEB's; WEB-3's Team effort is empty here.
  jira = await startFakeJira({ email: 'forge-app@acme.example', apiToken: 'forge-app-token-000000', effortBoardProject: 'WEB', changed: { 'WEB-3': { [EFFORT_FIELD]: null } } });
  forge = await startFakeForge();
  reckon = await startReckon({ ...forge.env, RECKON_POLL_CACHE_MS: '0' });
  acme = await registeredClient(reckon);
  app = forgeHarness({ reckonUrl: reckon.url, jira, forge });
  await bindSite(app, await connectCode(acme));
});
afterAll(async () => { await reckon.close(); await jira.close(); await forge.close(); });

describe("write-back into the board's estimation field", () => {
  it('writes into the field the project’s board estimates in, not the edit screen’s story points', async () => {
    const { sessionId } = await requestEstimate(app, 'WEB-3', SITE);
    const issue = (await poll(acme.client, sessionId!)).json.issues[0];
    web3 = { sessionId: sessionId!, issueId: issue.id };
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: issue.id, estimate: '5' })).status).toBe(200);
    expect((await pullEstimates(app)).map((o) => [o.key, o.status])).toEqual([['WEB-3', 'written']]);
    expect(jira.options.changed?.['WEB-3']).toMatchObject({ [EFFORT_FIELD]: 5 });
    expect(jira.options.changed?.['WEB-3']?.[WEB_POINTS]).toBeUndefined();
    // Asked once (by the issue action), then kept in the app's storage for the hour.
    const asked = jira.requests.filter((r) => r.path.startsWith('/rest/agile/1.0/board'));
    expect(asked.map((r) => [r.path, String(r.query)])).toEqual([['/rest/agile/1.0/board', 'projectKeyOrId=WEB&maxResults=10'], ['/rest/agile/1.0/board/2/configuration', ''], ['/rest/agile/1.0/board/3/configuration', '']]);
    expect(app.storage.get('board-field:WEB')).toMatchObject({ field: EFFORT_FIELD });
  });

  it('keeps nothing and writes nothing elsewhere when Jira cannot list the boards just now (429); a retry writes the board field', async () => {
    expect((await acme.client.post(`/api/sessions/${web3.sessionId}/finalize`, { issueId: web3.issueId, estimate: '8' })).status).toBe(200);
    app.storage.delete('board-field:WEB'); // the hour is over
    jira.options.rateLimitNext = 1; // the board list is the run's first request to Jira
    const [outcome] = await pullEstimates(app);
    // Not "kept the value set by hand" read from the edit screen's field: Jira's refusal, to retry.
    expect([outcome?.status, outcome?.message]).toEqual(['failed', expect.stringMatching(/rate.?limited|429/i)]);
    expect(app.storage.has('board-field:WEB')).toBe(false);
    expect(jira.options.changed?.['WEB-3']?.[WEB_POINTS]).toBeUndefined();
    expect((await acme.client.post(`/api/forge/write-backs/${web3.sessionId}/${web3.issueId}/retry`)).status).toBe(200);
    expect((await pullEstimates(app)).map((o) => [o.key, o.status])).toEqual([['WEB-3', 'written']]);
    expect(jira.options.changed?.['WEB-3']).toMatchObject({ [EFFORT_FIELD]: 8 });
  });

  it('takes the board field only when the project’s boards agree on one', async () => {
    expect(await boardEstimationField(app, 'WEB')).toBe(EFFORT_FIELD); // board 2's configuration is not readable: it does not count
    expect(await boardEstimationField(app, 'POKER')).toBe('customfield_10028'); // board 1 alone
    const both = await startFakeJira({ email: 'forge-app@acme.example', apiToken: 'forge-app-token-000000' });
    try {
      const other = forgeHarness({ reckonUrl: reckon.url, jira: both, forge });
      expect(await boardEstimationField(other, 'POKER')).toBeNull(); // boards 1 and 3 disagree: the edit screen decides
      both.options.forbidden = ['/rest/agile/1.0/board'];
      expect(await boardEstimationField(other, 'WEB')).toBeNull(); // no agile API for the app
    } finally { await both.close(); }
  });
});
