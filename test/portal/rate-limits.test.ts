// The portal's limits (issue #17): redeeming links (10 per person and 30 per address in 10 minutes)
// and approvals (60 per person an hour), refused with 429 and Retry-After once used up.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, newSession } from '../support/rooms.js';
import { newClient, portalUser, redeem, type Person } from './support.js';

let reckon: Reckon;
let admin: Person;

beforeAll(async () => {
  reckon = await startReckon({ RECKON_RATE_LIMITS: 'on' });
  admin = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

describe('portal rate limits', () => {
  it('refuses the 11th redeem of one person in ten minutes, even with wrong tokens', async () => {
    const person = await registeredClient(reckon);
    const results = [];
    for (let n = 0; n < 11; n++) results.push(await redeem(person, 'not-a-token'));
    expect(results.map((r) => r.status)).toEqual([...Array(10).fill(404), 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses the 61st approval of one person in an hour', async () => {
    const clientId = await newClient(admin, admin.tenant.tenantId, 'Busy client');
    const s = await newSession(admin, { clientId });
    const [issueId] = await addIssues(admin, s.id, ['Approved often']);
    expect((await admin.client.post(`/api/sessions/${s.id}/finalize`, { issueId, estimate: '3' })).status).toBe(200);
    const person = await portalUser(reckon, admin, clientId);
    const path = `/api/portal/${clientId}/estimates/${s.id}/${issueId}/approval`;
    const statuses: number[] = [];
    for (let n = 0; n < 61; n++) statuses.push((await person.client.post(path, { decision: n % 2 ? 'approved' : 'declined' })).status);
    expect(statuses.slice(0, 60).every((x) => x === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});
