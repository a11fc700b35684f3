// The user's access epoch as this instance knows it (docs/decisions.md "Sessions that end"):
// read at most once per EPOCH_CACHE_MS per user and instance, forgotten at once when this
// instance ends the user's tokens, so the instance that made a change refuses the old token at
// once and every other instance within EPOCH_CACHE_MS (< 60 s, ASVS 7.4.1's bound here).
import { readAccessEpoch, onAccessEnded } from '../store/users.js';

/** How long an instance trusts a user's epoch it read: 50 s, leaving 10 s of the 60 s bound for the read itself. */
export const EPOCH_CACHE_MS = 50_000;
const MAX_USERS = 20_000;

interface Known { epoch: number | undefined; readAt: number }
const known = new Map<string, Known>();
/** Bumped by forgetEpoch, so a read that started before the change cannot store the old epoch after it. */
const generations = new Map<string, number>();
const pending = new Map<string, Promise<number | undefined>>();

/** The user's current epoch (undefined: no such user any more), as of at most EPOCH_CACHE_MS before `now`. */
export async function currentEpoch(uid: string, now: number): Promise<number | undefined> {
  const hit = known.get(uid);
  if (hit && now - hit.readAt < EPOCH_CACHE_MS && now >= hit.readAt) return hit.epoch;
  let read = pending.get(uid);
  if (!read) {
    const generation = generations.get(uid) ?? 0;
    read = readAccessEpoch(uid).then((epoch) => {
      if ((generations.get(uid) ?? 0) === generation) remember(uid, { epoch, readAt: now });
      return epoch;
    }).finally(() => pending.delete(uid));
    pending.set(uid, read);
  }
  return read;
}

/** Called once this instance ended the user's access tokens or erased the user (users.ts onAccessEnded): the next request reads afresh. */
export function forgetEpoch(uid: string): void {
  known.delete(uid);
  pending.delete(uid);
  generations.set(uid, (generations.get(uid) ?? 0) + 1);
  if (generations.size > MAX_USERS) generations.delete(generations.keys().next().value!);
}

onAccessEnded(forgetEpoch);

function remember(uid: string, value: Known): void {
  known.delete(uid);
  known.set(uid, value);
  if (known.size > MAX_USERS) known.delete(known.keys().next().value!);
}
