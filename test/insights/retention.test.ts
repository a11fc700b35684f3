// Insights and retention (issue #19 with #20): when the retention job deletes a closed session,
// the outlier candidates the insight aggregates kept for its issues (title, Jira link, session
// link) go with it; only the numbers stay in the team's history.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, type Person } from '../support/rooms.js';
import { newFirestore } from '../support/firestore.js';
import { newClient } from '../portal/support.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../support/fakes/google-oidc.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';
const SCHEDULER = 'scheduler@reckon-prod.iam.gserviceaccount.com';
let reckon: Reckon;
let jira: FakeJira;
let google: FakeGoogleOidc;
let admin: Person;

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  google = await startFakeGoogleOidc();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_RATE_LIMITS: 'off' });
  admin = await registeredClient(reckon);
});
afterAll(async () => { await reckon?.close(); await jira?.close(); await google?.close(); });

describe('insights after retention', () => {
  it('keeps no title or link of a deleted session\'s issues in the insight aggregates, and keeps their numbers', async () => {
    const tenantId = admin.tenant.tenantId;
    const clientId = await newClient(admin, tenantId, 'Acme');
    const connectionId = (await admin.client.post('/api/jira/connections', { tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN })).json.connection.id;
    const [old, kept] = [await newSession(admin, { clientId }), await newSession(admin, { clientId })];
    for (const s of [old, kept]) {
      const imported = await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: s.id, keys: ['POKER-12'] });
      expect((await admin.client.post(`/api/sessions/${s.id}/finalize`, { issueId: imported.json.created[0].id, estimate: '5' })).status).toBe(200);
    }
    const db = newFirestore({ projectId: reckon.projectId });
    try {
      const candidates = async () => (await db.collection('insights').where('tenantId', '==', tenantId).get()).docs.flatMap((d) => Object.keys(d.get('out') ?? {}));
      expect((await candidates()).filter((k) => k.startsWith(`${old.id}_`))).toHaveLength(2); // the team's and the client's
      const before = (await admin.client.get(`/api/insights?tenantId=${tenantId}`)).json.coverage;

      expect((await admin.client.post(`/api/sessions/${old.id}/close`)).status).toBe(200);
      await db.doc(`sessions/${old.id}`).update({ updatedAt: Timestamp.fromMillis(Date.now() - 400 * 86_400_000) });
      for (let i = 0; i < 10; i++) {
        const token = await google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
        const res = await new ApiClient(reckon).post('/api/jobs/retention', undefined, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        if (res.json.report.done) break;
      }
      expect((await db.doc(`sessions/${old.id}`).get()).exists).toBe(false);
      const left = await candidates();
      expect(left.filter((k) => k.startsWith(`${old.id}_`))).toEqual([]);
      expect(left.filter((k) => k.startsWith(`${kept.id}_`))).toHaveLength(2);
      expect((await admin.client.get(`/api/insights?tenantId=${tenantId}`)).json.coverage).toEqual(before);
    } finally { await db.terminate(); }
  });
});
