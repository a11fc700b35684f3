// The request log's Firestore counts come from observing the client (shared/store/usage.ts), not
// from hand-written counts after each call: they must still match what the request did.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, startRound, vote, type Person } from '../support/rooms.js';
import { captureLogLines, type LogCapture } from '../support/logs.js';

let reckon: Reckon;
let owner: Person;
let logs: LogCapture;

beforeAll(async () => {
  reckon = await startReckon({ RECKON_LOG_LEVEL: 'info' });
  logs = captureLogLines();
  owner = await registeredClient(reckon);
});
afterAll(async () => { logs.stop(); await reckon.close(); });

const usageOf = (res: { headers: Record<string, unknown> }) => logs.usageOf(res);

describe('Firestore counts in the request log', () => {
  it('counts a vote as the transaction\'s reads (session, vote, participant) and one write; an unchanged vote writes nothing', async () => {
    const session = await newSession(owner, { autoReveal: false });
    const [issueId] = await addIssues(owner, session.id, ['One']);
    const ann = await guest(reckon, session.joinCode, 'Ann');
    const round = await startRound(owner, session.id, issueId!);
    const first = await vote(ann.client, session.id, issueId!, round, '5');
    expect(first.status).toBe(200);
    expect(usageOf(first)).toEqual({ reads: 3, writes: 1 });
    const again = await vote(ann.client, session.id, issueId!, round, '5');
    expect(usageOf(again)).toEqual({ reads: 3, writes: 0 });
  });

  it('counts a query that finds nothing as one read, and a batch by its documents', async () => {
    const res = await owner.client.post('/api/sessions', { tenantId: owner.tenant.tenantId, name: 'Counted', deck: 'tshirt' });
    expect(res.status).toBe(201);
    // The rate-limit window (read before and after its one write), the team's open-session gate and
    // count (one read each), then the session, its join code, its room clock and the moved gate in one batch.
    expect(usageOf(res)).toEqual({ reads: 4, writes: 5 });
    const other = await registeredClient(reckon);
    const list = await other.client.get(`/api/sessions?tenantId=${other.tenant.tenantId}`);
    // Their first signed-in request reads their access epoch (then cached), and the empty query is one read.
    expect(usageOf(list)).toEqual({ reads: 2, writes: 0 });
    const again = await other.client.get(`/api/sessions?tenantId=${other.tenant.tenantId}`);
    expect(usageOf(again)).toEqual({ reads: 1, writes: 0 });
  });
});
