// memberActivity/{tenantId}_{uid}: when a member was last seen in one of the team's rooms. The
// poll stamps it at most once per MEMBER_ACTIVITY_INTERVAL_MS per member and instance, so the Team
// page reads every member's activity in one batched get, not one query per member.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

/** The Team page shows activity by the day; an hour is fine enough and costs a member one write an hour at most. */
export const MEMBER_ACTIVITY_INTERVAL_MS = 3_600_000;

const activity = () => getDb().collection('memberActivity');
const activityId = (tenantId: string, uid: string) => `${tenantId}_${uid}`;

export async function noteMemberActive(tenantId: string, uid: string, now: number): Promise<void> {
  await activity().doc(activityId(tenantId, uid)).set({ tenantId, uid, lastActiveAt: Timestamp.fromMillis(now) });
}

/** uid → when last active (ms), for the members who were ever seen in a room. */
export async function lastActiveOfMembers(tenantId: string, uids: readonly string[]): Promise<Map<string, number>> {
  if (uids.length === 0) return new Map();
  const snaps = await getDb().getAll(...uids.map((uid) => activity().doc(activityId(tenantId, uid))));
  return new Map(snaps.filter((s) => s.exists).map((s) => [s.get('uid') as string, (s.get('lastActiveAt') as Timestamp).toMillis()]));
}

/** A member who leaves (or is removed, or erased) takes their activity with them. */
export async function forgetMemberActivity(tenantId: string, uid: string): Promise<void> {
  await activity().doc(activityId(tenantId, uid)).delete();
}

export function forgetMemberActivityIn(batch: FirebaseFirestore.WriteBatch, tenantId: string, uid: string): void {
  batch.delete(activity().doc(activityId(tenantId, uid)));
}
