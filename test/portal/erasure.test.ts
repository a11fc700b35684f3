// Erasing a portal user's account (issue #17 with #15's erasure): their decisions stay with the
// team, by "Deleted user", their links and grants forget them, and neither their name, their
// email nor their uid is left anywhere in the database. An erased admin leaves no uid on links.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import { addIssues, newSession, poll } from '../support/rooms.js';
import { newClient, newLink, redeem, type Person } from './support.js';

let reckon: Reckon;
let admin: Person;
beforeAll(async () => { reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' }); admin = await registeredClient(reckon); });
afterAll(async () => { await reckon.close(); });

async function finalizedIssues(clientId: string, titles: string[]): Promise<{ sessionId: string; issueIds: string[] }> {
  const session = await newSession(admin, { name: 'Acme sprint', clientId });
  const issueIds = await addIssues(admin, session.id, titles);
  for (const issueId of issueIds) expect((await admin.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '5' })).status).toBe(200);
  return { sessionId: session.id, issueIds };
}

describe('erasing a portal user', () => {
  it("scrubs their name, email and uid from approvals, the issue's approval, links, link uses and grants, keeping the decisions", async () => {
    const acme = await newClient(admin, admin.tenant.tenantId, 'Acme');
    const { sessionId, issueIds: [current, replaced] } = await finalizedIssues(acme, ['Checkout page', 'Refund flow']) as { sessionId: string; issueIds: [string, string] };
    const zed = await registeredClient(reckon, { displayName: 'Zebulon Quux', email: `zebulon.quux-${Date.now()}@example.com` });
    const other = await registeredClient(reckon, { displayName: 'Ottilie Other' });
    expect((await redeem(zed, (await newLink(admin, acme, { note: 'for the PM' })).token)).status).toBe(200);
    expect((await redeem(other, (await newLink(admin, acme)).token)).status).toBe(200);
    const decide = (who: Person, issueId: string, decision: string, comment: string) =>
      who.client.post(`/api/portal/${acme}/estimates/${sessionId}/${issueId}/approval`, { decision, comment });
    expect((await decide(zed, current, 'declined', 'Too high')).status).toBe(200);
    expect((await decide(zed, current, 'approved', 'Fine after all')).status).toBe(200);
    expect((await decide(zed, replaced, 'approved', 'Yes')).status).toBe(200);
    expect((await decide(other, replaced, 'declined', 'No')).status).toBe(200); // the current one is someone else's
    const before = await databaseDump(reckon.projectId);
    for (const trace of ['Zebulon Quux', zed.account.email, zed.user.uid]) expect(before).toContain(trace);

    expect((await zed.client.delete('/api/auth/me', { password: zed.account.password })).status).toBe(204);

    const after = await databaseDump(reckon.projectId);
    for (const trace of ['Zebulon Quux', zed.account.email]) expect(after).not.toContain(trace);
    // The audit log keeps the actor's uid (docs/security.md); nothing else does.
    expect(after.split('\n').filter((l) => !l.startsWith('auditEvents/') && l.includes(zed.user.uid))).toEqual([]);
    // The team still sees the decisions, now by "Deleted user"; someone else's stays theirs.
    const room = (await poll(admin.client, sessionId)).json;
    const approvalOf = (id: string) => room.issues.find((i: { id: string }) => i.id === id).approval;
    expect(approvalOf(current)).toEqual({ decision: 'approved', comment: 'Fine after all', by: { displayName: 'Deleted user' }, at: expect.any(String) });
    expect(approvalOf(replaced)).toMatchObject({ decision: 'declined', by: { displayName: 'Ottilie Other' } });
    expect(after.split('\n').filter((l) => l.startsWith('portalApprovals/') && l.includes('"byName":"Deleted user"'))).toHaveLength(3);
    // The link they redeemed is used, by nobody the team can name; they are no portal user any more.
    const links = (await admin.client.get(`/api/portal/clients/${acme}/links`)).json.links;
    expect(links.find((l: { note: string }) => l.note === 'for the PM')).toMatchObject({ status: 'used', usedBy: null, usedAt: expect.any(String) });
    expect((await admin.client.get(`/api/portal/clients/${acme}/users`)).json.users.map((u: { displayName: string }) => u.displayName)).toEqual(['Ottilie Other']);
  });

  it("removes an erased admin's uid from the portal links they created, which keep working", async () => {
    const boss = await registeredClient(reckon);
    // Another admin stays, so the team goes on without the erased one.
    const invite = (await boss.client.post(`/api/teams/${boss.tenant.tenantId}/invites`, { role: 'admin', expiresInDays: 1, maxUses: 1 })).json;
    const deputy = await registeredClient(reckon);
    expect((await deputy.client.post('/api/teams/invites/accept', { token: invite.url.split('/invite/')[1] })).status).toBe(200);
    await deputy.client.post('/api/auth/refresh');
    const acme = await newClient(boss, boss.tenant.tenantId, 'Acme');
    const link = await newLink(boss, acme, { note: 'made by the boss' });
    expect((await boss.client.delete('/api/auth/me', { password: boss.account.password })).status).toBe(204);
    // The audit log keeps the actor's uid (docs/security.md); nothing else does.
    const kept = (await databaseDump(reckon.projectId)).split('\n').filter((l) => !l.startsWith('auditEvents/'));
    expect(kept.filter((l) => l.includes(boss.user.uid))).toEqual([]);
    const listed = (await deputy.client.get(`/api/portal/clients/${acme}/links`)).json.links;
    expect(listed).toEqual([expect.objectContaining({ note: 'made by the boss', status: 'active', createdBy: null })]);
    const newcomer = await registeredClient(reckon);
    expect((await redeem(newcomer, link.token)).status).toBe(200);
  });
});
