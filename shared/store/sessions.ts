// The session aggregate: sessions/{id}, and joinCodes/{code} created with create() so a code is
// unique. Every change to what the room shows goes through `commitRoomChange`, which also touches
// the room clock (see room-clock.ts) so that an unchanged poll costs one read.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates, isPreconditionFailure } from './firestore.js';
import { touchRoomClock } from './room-clock.js';
import type { Deck } from '../domain/decks.js';
import { tallyFrom, TALLY_KEYS, type TallyShift, type WriteBackTally } from '../domain/write-back-tally.js';

export interface SessionRecord {
  id: string; tenantId: string; clientId: string | null; name: string; ownerUid: string; deck: Deck;
  status: 'open' | 'closed'; autoReveal: boolean; joinCode: string; currentIssueId: string | null;
  round: number; revealed: boolean; stateVersion: number; createdAt: number;
  /** Bumped when the issue list or the participant list changes (the poll re-reads only those). */
  issuesVersion: number; participantsVersion: number;
  issueCount: number; nextIssueOrder: number;
  /** How the final estimates fared in Jira (kept by every room change that moves an issue's outcome). */
  writeBacks?: WriteBackTally;
}

/** A session as read, with the update time that guards a conditional write. */
export interface StoredSession { record: SessionRecord; updateTime: Timestamp }

export class JoinCodeTakenError extends Error {}
/** The session changed since it was read; read it again and decide again. */
export class SessionChangedError extends Error {}

/**
 * A tenant's gate on opening sessions (openSessionGates/{tenantId}): every open commits a change
 * to it conditional on the version read before the open sessions were counted, so two opens that
 * counted the same sessions cannot both commit, and the cap holds under any burst (one Firestore
 * write per open; docs/decisions.md). Closing needs no gate: it can only make room.
 */
export interface OpenSessionGate { tenantId: string; updateTime: Timestamp }

/** The gate is moved by another open since it was read: count again and decide again. */
export class OpenSessionGateMovedError extends SessionChangedError {}

const gateRef = (tenantId: string) => getDb().collection('openSessionGates').doc(tenantId);

/** Reads the tenant's gate (made on first use), for an open that counts the open sessions next. */
export async function readOpenSessionGate(tenantId: string, now: number): Promise<OpenSessionGate> {
  for (;;) {
    const snap = await gateRef(tenantId).get();
    if (snap.exists) return { tenantId, updateTime: snap.updateTime! };
    const made = getDb().batch();
    made.create(gateRef(tenantId), { tenantId, opens: 0, openedAt: Timestamp.fromMillis(now) });
    await commitCreates(made); // made here or by a concurrent open: read it again either way
  }
}

function moveOpenSessionGate(batch: FirebaseFirestore.WriteBatch, gate: OpenSessionGate, now: number): number {
  // The counter makes every open change the document: a write that changes nothing keeps its
  // update time (Firestore's WriteResult), and two opens in one millisecond would both pass.
  batch.update(gateRef(gate.tenantId), { opens: FieldValue.increment(1), openedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: gate.updateTime });
  return 1;
}

/**
 * Creates the session and its join code atomically; JoinCodeTakenError when the code exists.
 * With a gate (a member's open, counted against the cap), OpenSessionGateMovedError when another
 * open committed since the gate was read.
 */
export async function createSession(s: SessionRecord, joinCodeExpiresAt: number, gate?: OpenSessionGate): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  batch.create(db.collection('joinCodes').doc(s.joinCode), { tenantId: s.tenantId, sessionId: s.id, expiresAt: Timestamp.fromMillis(joinCodeExpiresAt) });
  const { id: _id, createdAt, ...fields } = s;
  batch.create(db.collection('sessions').doc(s.id), { ...fields, createdAt: Timestamp.fromMillis(createdAt), updatedAt: Timestamp.fromMillis(createdAt) });
  touchRoomClock(batch, s.id, s.tenantId);
  if (gate) moveOpenSessionGate(batch, gate, createdAt);
  let created: boolean;
  try {
    created = await commitCreates(batch);
  } catch (e) {
    if (gate && (isPreconditionFailure(e) || (e as { code?: number }).code === ABORTED)) throw new OpenSessionGateMovedError();
    throw e;
  }
  if (!created) throw new JoinCodeTakenError();
}

function toRecord(id: string, d: FirebaseFirestore.DocumentData): SessionRecord {
  return {
    id, tenantId: d.tenantId, clientId: d.clientId ?? null, name: d.name, ownerUid: d.ownerUid, deck: d.deck, status: d.status,
    autoReveal: d.autoReveal, joinCode: d.joinCode, currentIssueId: d.currentIssueId ?? null, round: d.round, revealed: d.revealed,
    stateVersion: d.stateVersion, createdAt: (d.createdAt as Timestamp).toMillis(),
    issuesVersion: d.issuesVersion ?? 0, participantsVersion: d.participantsVersion ?? 0, issueCount: d.issueCount ?? 0, nextIssueOrder: d.nextIssueOrder ?? 0,
    writeBacks: tallyFrom(d.writeBacks),
  };
}

export async function getStoredSession(id: string): Promise<StoredSession | undefined> {
  const snap = await getDb().collection('sessions').doc(id).get();
  return snap.exists ? { record: toRecord(id, snap.data()!), updateTime: snap.updateTime! } : undefined;
}

export async function getSession(id: string): Promise<SessionRecord | undefined> {
  return (await getStoredSession(id))?.record;
}

export function sessionFromSnapshot(snap: FirebaseFirestore.DocumentSnapshot): StoredSession | undefined {
  return snap.exists ? { record: toRecord(snap.id, snap.data()!), updateTime: snap.updateTime! } : undefined;
}

/**
 * A tenant's sessions, newest first (composite index tenantId + createdAt desc), or those of one
 * client (tenantId + clientId + createdAt desc): filtered in the query, not among the newest.
 */
export async function listSessionsOfTenant(tenantId: string, limit = 100, clientId?: string): Promise<SessionRecord[]> {
  const ofTenant = getDb().collection('sessions').where('tenantId', '==', tenantId);
  const snap = await (clientId === undefined ? ofTenant : ofTenant.where('clientId', '==', clientId)).orderBy('createdAt', 'desc').limit(limit).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

/** The sessions of a tenant assigned to one client (the portal: every query names both). */
export async function listSessionsOfClient(tenantId: string, clientId: string, limit = 200): Promise<SessionRecord[]> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).where('clientId', '==', clientId).limit(limit).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

/** A tenant's sessions changed since a time (the sync job's "active in the last 7 days"). */
export async function listActiveSessionsOfTenant(tenantId: string, since: number, limit = 200): Promise<StoredSession[]> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).where('updatedAt', '>=', Timestamp.fromMillis(since)).limit(limit).get();
  return snap.docs.map((d) => ({ record: toRecord(d.id, d.data()), updateTime: d.updateTime }));
}

/** How many of a tenant's sessions are open (one aggregation: one read per 1000 counted). */
export async function countOpenSessionsOfTenant(tenantId: string): Promise<number> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).where('status', '==', 'open').count().get();
  return snap.data().count;
}

export type SessionFields = Partial<Pick<SessionRecord, 'currentIssueId' | 'round' | 'revealed' | 'status' | 'name' | 'autoReveal' | 'nextIssueOrder' | 'clientId'>>;

export interface RoomChange {
  fields?: SessionFields;
  issues?: boolean;
  participants?: boolean;
  issueCountDelta?: number;
  /** How the change moves issues between the write-back counters (shared/domain/write-back-tally.ts). */
  writeBackShift?: TallyShift;
  /** The aggregate's own writes (issues, participants, votes) that belong to the same change. */
  writes?: (batch: FirebaseFirestore.WriteBatch) => number;
  /**
   * The change does not depend on the session as read (a join: counters only), so it commits
   * without the precondition and a crowd arriving through one join link never conflicts.
   */
  commutes?: boolean;
  /** The change opens the session: it moves the tenant's gate read before counting (see OpenSessionGate). */
  opens?: OpenSessionGate;
}

/**
 * Commits a change to the room atomically: the session document (only if it is still as read:
 * SessionChangedError otherwise, unless the change commutes), the aggregate writes, and the room
 * clock.
 */
export async function commitRoomChange(stored: StoredSession, change: RoomChange, now: number): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  const update: Record<string, unknown> = { ...change.fields, stateVersion: FieldValue.increment(1), updatedAt: Timestamp.fromMillis(now) };
  if (change.issues) update.issuesVersion = FieldValue.increment(1);
  if (change.participants) update.participantsVersion = FieldValue.increment(1);
  if (change.issueCountDelta) update.issueCount = FieldValue.increment(change.issueCountDelta);
  for (const k of TALLY_KEYS) if (change.writeBackShift?.[k]) update[`writeBacks.${k}`] = FieldValue.increment(change.writeBackShift[k]!);
  const ref = db.collection('sessions').doc(stored.record.id);
  if (change.commutes) batch.update(ref, update); else batch.update(ref, update, { lastUpdateTime: stored.updateTime });
  change.writes?.(batch);
  if (change.opens) moveOpenSessionGate(batch, change.opens, now);
  touchRoomClock(batch, stored.record.id, stored.record.tenantId);
  try {
    await batch.commit();
  } catch (e) {
    // FAILED_PRECONDITION: someone else changed the session first; ABORTED: Firestore gave up on
    // a write contended with others; NOT_FOUND (a commuting change has no precondition): it was
    // deleted. Whichever, the next read tells.
    const code = (e as { code?: number }).code;
    if (isPreconditionFailure(e) || code === ABORTED || (change.commutes && code === NOT_FOUND)) throw new SessionChangedError();
    throw e;
  }
}

const NOT_FOUND = 5;
const ABORTED = 10;
const ATTEMPTS = 8;

/** Contention that outlasted every retry: the edge tells the caller to try again (503), never 500. */
export class RoomBusyError extends Error {
  /** What the caller is told, with the 503. */
  constructor(readonly toCaller = 'The room is changing too fast to save this; try again in a moment.') { super('the room kept changing through every attempt'); }
}

/** A short random pause that grows with each attempt, so contenders stop colliding in step. */
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(300, 15 * 2 ** attempt)));

/**
 * Runs a read-decide-commit step, and again on a fresh read when the session changed in between
 * (a few times, with a growing random pause). `seen` is a session already read for the first
 * attempt. Contention that outlasts the retries answers 503 unavailable with Retry-After.
 */
export async function withFreshSession<T>(id: string, step: (stored: StoredSession | undefined) => Promise<T>, seen?: StoredSession): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt === 1 && seen ? seen : await getStoredSession(id));
    } catch (e) {
      if (!(e instanceof SessionChangedError)) throw e;
      if (attempt >= ATTEMPTS) throw new RoomBusyError();
      if (attempt > 1) await backoff(attempt);
    }
  }
}

/** Opens in progress per tenant in this instance: each waits for the one before it. */
const opensInProgress = new Map<string, Promise<void>>();

/** Runs `open` after this instance's earlier opens for the tenant, so they do not contend for the gate. */
async function afterEarlierOpens<T>(tenantId: string, open: () => Promise<T>): Promise<T> {
  const before = opensInProgress.get(tenantId) ?? Promise.resolve();
  let done!: () => void;
  const mine = before.then(() => new Promise<void>((r) => { done = r; }));
  opensInProgress.set(tenantId, mine);
  await before;
  try {
    return await open();
  } finally {
    done();
    if (opensInProgress.get(tenantId) === mine) opensInProgress.delete(tenantId);
  }
}

/**
 * Opens one of the tenant's sessions: reads the gate and hands it to `step`, which counts the open
 * sessions and commits with it. Opens in one instance take turns (a burst through one instance
 * never contends); when an open in another instance committed first, again on a fresh gate (a few
 * times, with a growing random pause). Inside a reopen's withFreshSession step, a moved gate makes
 * the session commit fail as changed, and withFreshSession tries again.
 */
export async function withOpenSessionGate<T>(tenantId: string, now: number, step: (gate: OpenSessionGate) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await afterEarlierOpens(tenantId, async () => step(await readOpenSessionGate(tenantId, now)));
    } catch (e) {
      if (!(e instanceof OpenSessionGateMovedError)) throw e;
      if (attempt >= ATTEMPTS) throw new RoomBusyError('Many sessions are being opened in this team right now; try again in a moment.');
      await backoff(attempt);
    }
  }
}

/** Names of these sessions that belong to the tenant (one batched read). */
export async function getSessionNames(ids: string[], tenantId: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const db = getDb();
  const snaps = await db.getAll(...ids.map((id) => db.collection('sessions').doc(id)), { fieldMask: ['tenantId', 'name'] });
  return new Map(snaps.filter((s) => s.exists && s.get('tenantId') === tenantId).map((s) => [s.id, s.get('name') as string]));
}

/**
 * The sessions a user owns, in every tenant (their export and erasure): `ownerUid ==`, not led by
 * tenantId because it is the user's own data (docs/decisions.md). At most `limit` at a time.
 */
export async function listSessionsOwnedBy(uid: string, limit = 500): Promise<SessionRecord[]> {
  const snap = await getDb().collection('sessions').where('ownerUid', '==', uid).limit(limit).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

/** Gives sessions a new owner (null: owner-less, its team's admins moderate it), in bounded batches. */
export async function setSessionOwners(changes: readonly { sessionId: string; ownerUid: string | null }[], batchSize = 400): Promise<void> {
  const db = getDb();
  for (let i = 0; i < changes.length; i += batchSize) {
    const batch = db.batch();
    for (const c of changes.slice(i, i + batchSize)) batch.update(db.collection('sessions').doc(c.sessionId), { ownerUid: c.ownerUid });
    await batch.commit();
  }
}

/** Every tenant's sessions in id order after a cursor (the insights backfill walks them all, bounded). */
export async function listSessionsAfter(after: string | null, limit: number): Promise<StoredSession[]> {
  let q = getDb().collection('sessions').orderBy('__name__').limit(limit);
  if (after) q = q.startAfter(after);
  return (await q.get()).docs.map((d) => ({ record: toRecord(d.id, d.data()), updateTime: d.updateTime }));
}

/** Commits writes that depend on the session as read (its issues), without changing what the room shows. */
export async function commitBesideRoom(stored: StoredSession, writes: (batch: FirebaseFirestore.WriteBatch) => number, now: number): Promise<void> {
  const batch = getDb().batch();
  batch.update(getDb().collection('sessions').doc(stored.record.id), { insightsCheckedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: stored.updateTime });
  writes(batch);
  try {
    await batch.commit();
  } catch (e) {
    if (isPreconditionFailure(e) || (e as { code?: number }).code === ABORTED) throw new SessionChangedError();
    throw e;
  }
}
