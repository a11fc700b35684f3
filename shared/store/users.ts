// The user aggregate: users/{uid} and the userEmails/{email} key document that makes an email unique.
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates, isPreconditionFailure } from './firestore.js';
import type { KnownNetworks } from '../domain/known-networks.js';

export interface UserRecord {
  uid: string; email: string; displayName: string; passwordHash: string; createdAt: number;
  /** Access tokens of an older epoch are ended (endAccessTokensIn). */
  accessEpoch: number;
  /** Refresh families started before this (ms) are ended: set by a password change. */
  sessionsValidFrom: number;
  /** The networks signed in from with the password, and when last (shared/domain/known-networks.ts). */
  knownNetworks: KnownNetworks;
}

export interface NewAccount { user: Omit<UserRecord, 'accessEpoch' | 'sessionsValidFrom'>; tenant: { tenantId: string; name: string }; }

export class EmailTakenError extends Error {}

/** Creates the user, its email key, a personal tenant and the admin membership in one atomic batch. */
export async function createAccount({ user, tenant }: NewAccount): Promise<void> {
  const db = getDb();
  const createdAt = Timestamp.fromMillis(user.createdAt);
  const batch = db.batch();
  batch.create(db.collection('userEmails').doc(user.email), { uid: user.uid });
  batch.create(db.collection('users').doc(user.uid), { email: user.email, displayName: user.displayName, passwordHash: user.passwordHash, createdAt, knownNetworks: user.knownNetworks });
  batch.create(db.collection('tenants').doc(tenant.tenantId), { name: tenant.name, aiEnabled: false, personal: true, createdBy: user.uid, createdAt });
  batch.create(db.collection('memberships').doc(`${tenant.tenantId}_${user.uid}`), { tenantId: tenant.tenantId, uid: user.uid, role: 'admin', createdAt });
  if (!(await commitCreates(batch))) throw new EmailTakenError();
}

function toRecord(uid: string, d: FirebaseFirestore.DocumentData): UserRecord {
  const networks: unknown = d.knownNetworks;
  return {
    uid, email: d.email, displayName: d.displayName, passwordHash: d.passwordHash, createdAt: (d.createdAt as Timestamp).toMillis(),
    accessEpoch: (d.accessEpoch as number | undefined) ?? 0, sessionsValidFrom: (d.sessionsValidFrom as Timestamp | undefined)?.toMillis() ?? 0,
    knownNetworks: networks !== null && typeof networks === 'object'
      ? Object.fromEntries(Object.entries(networks).filter((e): e is [string, number] => Number.isFinite(e[1])))
      : {},
  };
}

export async function findUserByEmail(email: string): Promise<UserRecord | undefined> {
  return (await findUserByEmailAsRead(email))?.user;
}

/** The user an email names and the update time it was read at (for rememberNetworks). */
export async function findUserByEmailAsRead(email: string): Promise<{ user: UserRecord; updateTime: Timestamp } | undefined> {
  const key = await getDb().collection('userEmails').doc(email).get();
  if (!key.exists) return undefined;
  return getUserAsRead(key.get('uid') as string);
}

/**
 * Replaces the user's known networks (the whole map: network names hold '.' and ':', which a
 * field path would have to quote), provided the user is unchanged since `seen` was read, so a
 * password change meanwhile, which keeps only its own network, is never undone. One write; false,
 * and nothing written, when the user changed or is gone (the next sign-in tries again).
 */
export async function rememberNetworks(seen: { user: Pick<UserRecord, 'uid'>; updateTime: Timestamp }, knownNetworks: KnownNetworks): Promise<boolean> {
  try {
    await getDb().collection('users').doc(seen.user.uid).update({ knownNetworks }, { lastUpdateTime: seen.updateTime });
    return true;
  } catch (e) {
    if (isPreconditionFailure(e) || (e as { code?: number }).code === NOT_FOUND) return false;
    throw e;
  }
}

export async function getUser(uid: string): Promise<UserRecord | undefined> {
  return (await getUserAsRead(uid))?.user;
}

/** The user and the update time it was read at (for a change that must not overwrite another). */
export async function getUserAsRead(uid: string): Promise<{ user: UserRecord; updateTime: Timestamp } | undefined> {
  const snap = await getDb().collection('users').doc(uid).get();
  return snap.exists ? { user: toRecord(uid, snap.data()!), updateTime: snap.updateTime! } : undefined;
}

/** The user's access epoch (undefined when the user no longer exists: erased) and when it was read. */
export async function readAccessEpoch(uid: string): Promise<{ epoch: number | undefined; readTime: Timestamp }> {
  const snap = await getDb().collection('users').doc(uid).get();
  return { epoch: snap.exists ? ((snap.get('accessEpoch') as number | undefined) ?? 0) : undefined, readTime: snap.readTime };
}

/**
 * Sets a new password hash, ends the user's access tokens (the same epoch step as
 * endAccessTokensIn, in the one write) and every refresh family started before `now`, and
 * replaces the known networks, provided the user is unchanged since `seen` was read:
 * of two changes at once, one wins and the other is refused. The new epoch is then exactly one
 * more than the one read. False when the user changed meanwhile.
 */
export async function changePassword(seen: { user: UserRecord; updateTime: Timestamp }, passwordHash: string, knownNetworks: KnownNetworks, now: number): Promise<boolean> {
  try {
    const change = { passwordHash, accessEpoch: FieldValue.increment(1), sessionsValidFrom: Timestamp.fromMillis(now), knownNetworks };
    const batch = getDb().batch();
    batch.update(getDb().collection('users').doc(seen.user.uid), change, { lastUpdateTime: seen.updateTime });
    recordEndingIn(batch, seen.user.uid);
    await batch.commit();
    return true;
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
}

/** Deletes the user document and its email key. */
export async function deleteUser(user: Pick<UserRecord, 'uid' | 'email'>): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  batch.delete(db.collection('users').doc(user.uid));
  batch.delete(db.collection('userEmails').doc(user.email));
  recordEndingIn(batch, user.uid);
  await batch.commit();
}

/**
 * Ends every access token issued to the user so far, in the caller's batch (DESIGN.md §3 "Session
 * ends"): access tokens carry the user's access epoch at issue, and a token of an older epoch is
 * refused. Used after logout, password change, family revocation, removal from a team and role
 * changes; a browser whose refresh token is still valid gets a new token with fresh roles. The
 * same batch adds an entry to the endings feed, which every instance reads every 30 s
 * (shared/access/epochs.ts), and this instance is told once the batch committed.
 */
export function endAccessTokensIn(batch: FirebaseFirestore.WriteBatch, uid: string): void {
  batch.update(getDb().collection('users').doc(uid), { accessEpoch: FieldValue.increment(1) });
  recordEndingIn(batch, uid);
}

/** Names and emails of many users at once (team member lists, the audit log); erased users are absent. */
export async function getProfiles(uids: readonly string[]): Promise<Map<string, { displayName: string; email: string }>> {
  const unique = [...new Set(uids)];
  if (unique.length === 0) return new Map();
  const db = getDb();
  const snaps = await db.getAll(...unique.map((uid) => db.collection('users').doc(uid)), { fieldMask: ['displayName', 'email'] });
  return new Map(snaps.filter((s) => s.exists).map((s) => [s.id, { displayName: s.get('displayName') as string, email: s.get('email') as string }]));
}
/** How long the endings feed keeps an entry (TTL): far longer than any instance waits between reads of it. */
const ENDING_KEPT_MS = 86_400_000;

/**
 * How the endings feed names a user: a hash of the uid, not the uid, so the entry an erasure
 * writes (kept a day) leads back to no one once the account is gone.
 */
export const endingKeyOf = (uid: string): string => createHash('sha256').update(uid).digest('base64url').slice(0, 22);

/** An entry in the endings feed: accessEndings/{id} {user: endingKeyOf(uid), at (commit time), expiresAt}. */
function recordEndingIn(batch: FirebaseFirestore.WriteBatch, uid: string): void {
  // The store has no clock of its own to be handed here; the TTL needs only a rough day.
  batch.create(getDb().collection('accessEndings').doc(), { user: endingKeyOf(uid), at: FieldValue.serverTimestamp(), expiresAt: Timestamp.fromMillis(Date.now() + ENDING_KEPT_MS) });
  let uids = endingIn.get(batch);
  if (!uids) {
    endingIn.set(batch, uids = []);
    const commit = batch.commit.bind(batch);
    batch.commit = async (...args) => {
      const result = await commit(...args);
      accessEnded(uids!);
      return result;
    };
  }
  uids.push(endingKeyOf(uid));
}

/** The users (ending keys) whose tokens a batch ends, announced once it committed. */
const endingIn = new WeakMap<FirebaseFirestore.WriteBatch, string[]>();
const listeners: ((userKey: string) => void)[] = [];

/**
 * Calls `listener` with the user's ending key on this instance each time a committed write ended
 * a user's access tokens or erased the user (shared/access/epochs.ts forgets what it knew, so
 * this instance refuses the old token at once, whoever made the change).
 */
export function onAccessEnded(listener: (userKey: string) => void): void {
  listeners.push(listener);
}

function accessEnded(userKeys: string[]): void {
  for (const key of userKeys) for (const l of listeners) l(key);
}

/**
 * The users (ending keys) whose access ended after `since` (a read time of this feed or of a user
 * document), and the read time to ask from next: one read when nothing ended, whatever the number of users.
 */
export async function readAccessEndings(since: Timestamp): Promise<{ userKeys: string[]; readTime: Timestamp }> {
  const snap = await getDb().collection('accessEndings').where('at', '>', since).get();
  return { userKeys: [...new Set(snap.docs.map((d) => d.get('user') as string))], readTime: snap.readTime };
}

/** endAccessTokensIn on its own (logout, family revocation); a user who no longer exists has none left. */
export async function endAccessTokens(uid: string): Promise<void> {
  const batch = getDb().batch();
  endAccessTokensIn(batch, uid);
  try {
    await batch.commit();
  } catch (e) {
    if ((e as { code?: number }).code !== NOT_FOUND) throw e;
  }
}

/** gRPC NOT_FOUND: an update met no document. */
const NOT_FOUND = 5;
