// What one instance remembers about rooms, so polls stay cheap (DESIGN.md §6):
// - facts of a session that never change (tenant, owner), to authorise a poll without a read;
// - the room's last change (one one-document query), shared by concurrent polls and kept ≤ 1 s;
// - the room's records for that last change, re-reading issues and participants only when their
//   version moved; presence is refreshed once per presence period with one small query.
import { getStoredSession } from '../../shared/store/sessions.js';
import { listParticipants, listParticipantsSeenBefore } from '../../shared/store/participants.js';
import { offlineBefore, withRefreshedPresence } from '../../shared/domain/presence.js';
import { listIssues } from '../../shared/store/issues.js';
import { listRoundVotes } from '../../shared/store/votes.js';
import { readLastRoomChange } from '../../shared/store/room-clock.js';
import type { RoomRecords } from '../../shared/domain/room-state.js';
import { getConfig } from '../../shared/config/config.js';

const MAX_ROOMS = 5000;

export interface SessionFacts { id: string; tenantId: string; ownerUid: string }
interface LastChange { value: string | undefined; at: number }
interface CachedRecords { key: string; lastChange: string | undefined; records: RoomRecords; issuesVersion: number; participantsVersion: number; period: number }

const facts = new Map<string, SessionFacts>();
const lastChanges = new Map<string, LastChange>();
const pendingChanges = new Map<string, Promise<LastChange>>();
const records = new Map<string, CachedRecords>();
const pendingRecords = new Map<string, Promise<CachedRecords | undefined>>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ROOMS) map.delete(map.keys().next().value!);
}

/** Forgets what this instance knows of a room's state (after a change made here). */
export function forgetRoom(sessionId: string): void {
  lastChanges.delete(sessionId);
}

export async function sessionFacts(sessionId: string): Promise<SessionFacts | undefined> {
  const hit = facts.get(sessionId);
  if (hit) return hit;
  const stored = await getStoredSession(sessionId);
  if (!stored) return undefined;
  const f = { id: sessionId, tenantId: stored.record.tenantId, ownerUid: stored.record.ownerUid };
  remember(facts, sessionId, f);
  return f;
}

/** The room's last change, from a query at most a second old; concurrent callers share one query. */
export async function lastRoomChange(f: SessionFacts, now: number): Promise<string | undefined> {
  const hit = lastChanges.get(f.id);
  if (hit && now - hit.at < getConfig().pollCacheMs) return hit.value;
  let pending = pendingChanges.get(f.id);
  if (!pending) {
    // Polls that arrive while the query is in flight share it.
    pending = readLastRoomChange(f.id, f.tenantId).then((value) => {
      const change = { value, at: Date.now() };
      remember(lastChanges, f.id, change);
      return change;
    }).finally(() => pendingChanges.delete(f.id));
    pendingChanges.set(f.id, pending);
  }
  return (await pending).value;
}

/**
 * The participants for new records: the previous list while its version and presence period
 * hold, the previous list with presence refreshed (one small query) when only the period moved,
 * or a full read.
 */
async function participantsFor(f: SessionFacts, version: number, period: number, previous: CachedRecords | undefined, now: number): Promise<Pick<RoomRecords, 'participants' | 'presenceAsOf'>> {
  if (previous && previous.participantsVersion === version) {
    const { participants, presenceAsOf } = previous.records;
    if (previous.period === period) return { participants, presenceAsOf };
    const seenBefore = await listParticipantsSeenBefore(f.id, f.tenantId, offlineBefore(now));
    return { participants: withRefreshedPresence(participants, seenBefore, now), presenceAsOf: now };
  }
  return { participants: await listParticipants(f.id, f.tenantId), presenceAsOf: now };
}

async function loadRecords(f: SessionFacts, lastChange: string | undefined, period: number, previous: CachedRecords | undefined, now: number): Promise<CachedRecords | undefined> {
  const key = `${lastChange}\u0000${period}`;
  if (previous && previous.lastChange === lastChange) {
    // Nothing changed but the presence period: only the participants' presence is news.
    const presence = await participantsFor(f, previous.participantsVersion, period, previous, now);
    return { ...previous, key, period, records: { ...previous.records, ...presence } };
  }
  const stored = await getStoredSession(f.id);
  if (!stored) return undefined;
  const s = stored.record;
  const reuseIssues = previous && previous.issuesVersion === s.issuesVersion;
  const [issues, presence, roundVotes] = await Promise.all([
    reuseIssues ? previous.records.issues : listIssues(s.id, s.tenantId),
    participantsFor(f, s.participantsVersion, period, previous, now),
    s.currentIssueId ? listRoundVotes(s.id, s.tenantId, s.currentIssueId, s.round) : [],
  ]);
  return { key, lastChange, records: { session: s, issues, roundVotes, ...presence }, issuesVersion: s.issuesVersion, participantsVersion: s.participantsVersion, period };
}

/** The room's records as of `lastChange` (and presence period), shared and reused while they hold. */
export async function roomRecords(f: SessionFacts, lastChange: string | undefined, period: number, now: number): Promise<RoomRecords | undefined> {
  const key = `${lastChange}\u0000${period}`;
  const previous = records.get(f.id);
  if (previous?.key === key) return previous.records;
  const pendingKey = `${f.id}\u0000${key}`;
  let pending = pendingRecords.get(pendingKey);
  if (!pending) {
    pending = loadRecords(f, lastChange, period, previous, now).then((loaded) => {
      if (loaded) remember(records, f.id, loaded);
      return loaded;
    }).finally(() => pendingRecords.delete(pendingKey));
    pendingRecords.set(pendingKey, pending);
  }
  return (await pending)?.records;
}
