// Rooms for the AI tests: a team with named voters, issues with revealed rounds, AI on or off.
import { expect } from 'vitest';
import { addIssues, newSession, startRound, teammate, type Person } from '../support/rooms.js';
import type { Reckon } from '../support/reckon.js';

export interface AiRoom { owner: Person; voters: Person[]; sessionId: string; joinCode: string; tenantId: string }

export async function aiRoom(reckon: Reckon, owner: Person): Promise<AiRoom> {
  const session = await newSession(owner);
  const voters = [owner, await teammate(reckon, owner), await teammate(reckon, owner)];
  for (const v of voters) expect((await v.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' })).status).toBeLessThan(300);
  return { owner, voters, sessionId: session.id, joinCode: session.joinCode, tenantId: owner.tenant.tenantId };
}

/** An issue whose round was played with these cards (and notes) and revealed. */
export async function revealedIssue(room: AiRoom, title: string, cards: [string, string | null][], description = ''): Promise<string> {
  const res = await room.owner.client.post(`/api/sessions/${room.sessionId}/issues`, { issues: [{ title, description }] });
  expect(res.status).toBe(201);
  const issueId = res.json.issues[0].id as string;
  const round = await startRound(room.owner, room.sessionId, issueId);
  await Promise.all(cards.map(([value, note], i) => room.voters[i]!.client.put(`/api/votes/${room.sessionId}`, { issueId, round, value, note }).then((r) => expect(r.status).toBe(200))));
  const revealed = await room.owner.client.post(`/api/sessions/${room.sessionId}/reveal`, {});
  expect([200, 409]).toContain(revealed.status); // auto-reveal may have turned them already
  return issueId;
}

export const setAi = (admin: Person, enabled: boolean, dailyQuota = 100) =>
  admin.client.put(`/api/ai/teams/${admin.tenant.tenantId}/settings`, { enabled, dailyQuota });

export { addIssues };
