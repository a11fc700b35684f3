// The rooms part of a user's data export: every room they have a participant record in (with the
// session's name and their cards there) and every session they own (issue #15, item 11).
import { listParticipationsOfUser } from '../../shared/store/participants.js';
import { listVotesOfParticipant } from '../../shared/store/votes.js';
import { getSessionNames, listSessionsOwnedBy } from '../../shared/store/sessions.js';

const iso = (ms: number) => new Date(ms).toISOString();

export async function roomsOfUser(uid: string) {
  const [participations, owned] = await Promise.all([listParticipationsOfUser(uid, 2_000), listSessionsOwnedBy(uid, 2_000)]);
  const byTenant = new Map<string, string[]>();
  for (const { sessionId, participant } of participations) byTenant.set(participant.tenantId, [...(byTenant.get(participant.tenantId) ?? []), sessionId]);
  const names = new Map<string, string>();
  for (const [tenantId, ids] of byTenant) for (const [id, name] of await getSessionNames(ids, tenantId)) names.set(id, name);
  const rooms = await Promise.all(participations.map(async ({ sessionId, participant: p }) => ({
    sessionId, sessionName: names.get(sessionId) ?? null, tenantId: p.tenantId,
    participantId: p.id, displayName: p.displayName, role: p.role, joinedAt: iso(p.joinedAt), lastSeenAt: iso(p.lastSeenAt),
    votes: (await listVotesOfParticipant(sessionId, p.tenantId, p.id, 5_000))
      .filter((v) => v.value !== null).map((v) => ({ issueId: v.issueId, round: v.round, value: v.value, note: v.note ?? null })),
  })));
  const ownedSessions = owned.map((s) => ({ id: s.id, tenantId: s.tenantId, name: s.name, status: s.status, createdAt: iso(s.createdAt) }));
  return { rooms, ownedSessions };
}
