// The user's access epoch as this instance knows it (docs/decisions.md "Sessions that end").
// A user's epoch is read once and kept; what tells an instance that it changed is the endings
// feed (accessEndings, written in the same batch as every ending), read at most every
// ENDINGS_FEED_MS whatever the number of users: one read when nothing ended. The instance that
// made a change forgets at once (users.ts onAccessEnded); every other one within ENDINGS_FEED_MS
// (< 60 s, ASVS 7.4.1's bound here). EPOCH_CACHE_MS re-reads each user now and then all the same.
import type { Timestamp } from '@google-cloud/firestore';
import { readAccessEpoch, readAccessEndings, onAccessEnded, endingKeyOf } from '../store/users.js';

/** How often an instance reads the endings feed: the bound on other instances. */
export const ENDINGS_FEED_MS = 30_000;
/** How long a user's epoch is kept without news from the feed (a safety net, not the bound). */
export const EPOCH_CACHE_MS = 600_000;
const MAX_USERS = 20_000;

interface Known { epoch: number | undefined; readAt: number }
// Keyed by the user's ending key (endingKeyOf(uid)): the feed names users by it.
const known = new Map<string, Known>();
/** Bumped by forgetEpoch, so a read that started before the change cannot store the old epoch after it. */
const generations = new Map<string, number>();
const pending = new Map<string, Promise<number | undefined>>();
/** The feed: read from `cursor` (a Firestore read time) on; nothing to follow until a first epoch was read. */
const feed: { cursor: Timestamp | undefined; checkedAt: number; reading: Promise<void> | undefined } = { cursor: undefined, checkedAt: 0, reading: undefined };

/** The user's current epoch (undefined: no such user any more), as of at most ENDINGS_FEED_MS before `now`. */
export async function currentEpoch(uid: string, now: number): Promise<number | undefined> {
  await followEndings(now);
  const key = endingKeyOf(uid);
  const hit = known.get(key);
  if (hit && now - hit.readAt < EPOCH_CACHE_MS && now >= hit.readAt) return hit.epoch;
  let read = pending.get(key);
  if (!read) {
    const generation = generations.get(key) ?? 0;
    read = readAccessEpoch(uid).then(({ epoch, readTime }) => {
      if (!feed.cursor) Object.assign(feed, { cursor: readTime, checkedAt: now });
      // A read older than the feed's cursor could miss an ending the feed has already passed.
      const coveredByFeed = readTime.valueOf() >= feed.cursor!.valueOf();
      if (coveredByFeed && (generations.get(key) ?? 0) === generation) remember(key, { epoch, readAt: now });
      return epoch;
    }).finally(() => pending.delete(key));
    pending.set(key, read);
  }
  return read;
}

/** Reads the endings feed when it is due, and forgets every user it names. */
async function followEndings(now: number): Promise<void> {
  if (!feed.cursor || (now - feed.checkedAt < ENDINGS_FEED_MS && now >= feed.checkedAt)) return;
  feed.reading ??= readAccessEndings(feed.cursor).then(({ userKeys, readTime }) => {
    for (const key of userKeys) forgetEpoch(key);
    Object.assign(feed, { cursor: readTime, checkedAt: now });
  }).finally(() => { feed.reading = undefined; });
  await feed.reading;
}

/** Called with a user's ending key once this instance ended their access tokens or erased them (users.ts onAccessEnded), and for each user the feed names. */
export function forgetEpoch(userKey: string): void {
  known.delete(userKey);
  pending.delete(userKey);
  generations.set(userKey, (generations.get(userKey) ?? 0) + 1);
  if (generations.size > MAX_USERS) generations.delete(generations.keys().next().value!);
}

onAccessEnded(forgetEpoch);

function remember(userKey: string, value: Known): void {
  known.delete(userKey);
  known.set(userKey, value);
  if (known.size > MAX_USERS) known.delete(known.keys().next().value!);
}
