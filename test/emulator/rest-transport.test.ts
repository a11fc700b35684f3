// Firestore over REST (the client's `preferRest`, the transport Reckon's functions use): every call
// the functions make, through the official client, with the answers and error codes the client's
// retries and Reckon's own checks depend on. Runs on the embedded and on the official emulator,
// which serve gRPC and REST on one port.
import { describe, it, expect, afterAll } from 'vitest';
import { FieldValue, FieldPath, Timestamp, GeoPoint, AggregateField } from '@google-cloud/firestore';
import { newFirestore, freshProjectId, sleep } from '../support/firestore.js';
import { tapEmulator } from '../support/tap.js';

const projectId = freshProjectId();
// The REST client goes through a tap, which proves at the end that it never fell back to gRPC.
const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
const tap = await tapEmulator();
process.env.FIRESTORE_EMULATOR_HOST = tap.host;
const rest = newFirestore({ projectId, transport: 'rest' });
process.env.FIRESTORE_EMULATOR_HOST = emulatorHost;
const grpc = newFirestore({ projectId });
afterAll(async () => { await rest.terminate(); await grpc.terminate(); tap.close(); });

const codeOf = async (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: unknown }) => e.code);

describe('Firestore over REST', () => {
  it('writes every value type so that gRPC reads it back unchanged, and reads it back the same itself', async () => {
    const value = {
      nothing: null, yes: true, int: 9007199254740991, negative: -42, double: 1.5, nan: NaN, text: 'Grüße ✓ 𝄞',
      bytes: Buffer.from([0, 1, 254, 255]), when: new Timestamp(1_700_000_000, 123_456_000), where: new GeoPoint(47.37, 8.54),
      ref: grpc.doc('values/other'), list: [1, 'two', null, { three: 3 }], map: { deep: { deeper: 'yes' } }, emptyMap: {}, emptyList: [],
    };
    await rest.doc('values/all').set(value);
    const viaGrpc = (await grpc.doc('values/all').get()).data()!;
    const viaRest = (await rest.doc('values/all').get()).data()!;
    for (const read of [viaGrpc, viaRest]) {
      expect(read.int).toBe(9007199254740991);
      expect(read.nan).toBeNaN();
      expect(read.text).toBe('Grüße ✓ 𝄞');
      expect(Buffer.from(read.bytes as Uint8Array)).toEqual(value.bytes);
      expect((read.when as Timestamp).isEqual(value.when)).toBe(true);
      expect((read.where as GeoPoint).isEqual(value.where)).toBe(true);
      expect((read.ref as FirebaseFirestore.DocumentReference).path).toBe('values/other');
      expect({ ...read, nan: 0, bytes: 0, when: 0, where: 0, ref: 0 }).toEqual({ ...value, nan: 0, bytes: 0, when: 0, where: 0, ref: 0 });
    }
  });

  it('answers create() of an existing document with ALREADY_EXISTS (6) and writes nothing', async () => {
    const ref = rest.doc('codes/exists');
    await ref.create({ v: 1 });
    expect(await codeOf(ref.create({ v: 2 }))).toBe(6);
    expect((await ref.get()).get('v')).toBe(1);
  });

  it('answers a stale lastUpdateTime with FAILED_PRECONDITION (9) and an update of a missing document with NOT_FOUND (5)', async () => {
    const ref = rest.doc('codes/stale');
    const first = await ref.set({ v: 1 });
    await sleep(2);
    await ref.set({ v: 2 });
    expect(await codeOf(ref.update({ v: 3 }, { lastUpdateTime: first.writeTime }))).toBe(9);
    expect(await codeOf(rest.doc('codes/missing').update({ v: 1 }))).toBe(5);
    expect((await ref.get()).get('v')).toBe(2);
  });

  it('applies increments, server timestamps, array unions and field deletes', async () => {
    const ref = rest.doc('transforms/one');
    await ref.set({ n: 1, tags: ['a'], gone: true });
    const before = Date.now();
    await ref.update({ n: FieldValue.increment(2), at: FieldValue.serverTimestamp(), tags: FieldValue.arrayUnion('a', 'b'), gone: FieldValue.delete() });
    const data = (await grpc.doc('transforms/one').get()).data()!;
    expect(data).toMatchObject({ n: 3, tags: ['a', 'b'] });
    expect(data.gone).toBeUndefined();
    expect((data.at as Timestamp).toMillis()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('loses no update when 20 read-modify-write transactions race (contention is retried)', async () => {
    const ref = rest.doc('tx/counter');
    await ref.set({ n: 0 });
    // The client's default of 5 attempts is not enough for 20 racers on one document: the official
    // emulator's pessimistic locks time out ("Transaction lock timeout", ABORTED) often enough that a
    // racer can lose 5 times in a row (CI met it). What this test proves is that contention comes back
    // as a code the client retries, so it gives every racer room to win eventually.
    await Promise.all(Array.from({ length: 20 }, () => rest.runTransaction(async (t) => {
      const s = await t.get(ref);
      await sleep(2);
      t.update(ref, { n: s.get('n') + 1 });
    }, { maxAttempts: 25 })));
    expect((await grpc.doc('tx/counter').get()).get('n')).toBe(20);
  }, 60_000);

  it('rolls back a transaction that throws, writing nothing', async () => {
    const ref = rest.doc('tx/rollback');
    await ref.set({ v: 1 });
    await expect(rest.runTransaction(async (t) => { t.set(ref, { v: 2 }); throw new Error('changed my mind'); })).rejects.toThrow('changed my mind');
    expect((await ref.get()).get('v')).toBe(1);
  });

  it('reads in a read-only transaction at a past read time', async () => {
    const ref = rest.doc('tx/past');
    await ref.set({ v: 'old' });
    await sleep(20);
    const then = Timestamp.now();
    await sleep(20);
    await ref.set({ v: 'new' });
    const seen = await rest.runTransaction((t) => t.get(ref), { readOnly: true, readTime: then });
    expect(seen.get('v')).toBe('old');
  });

  it('gets many documents at once, present and missing, with a field mask', async () => {
    await rest.doc('many/a').set({ keep: 1, drop: 2 });
    await rest.doc('many/b').set({ keep: 3, drop: 4 });
    const snaps = await rest.getAll(rest.doc('many/a'), rest.doc('many/none'), rest.doc('many/b'), { fieldMask: ['keep'] });
    expect(snaps.map((s) => (s.exists ? s.data() : null))).toEqual([{ keep: 1 }, null, { keep: 3 }]);
  });

  it('answers queries as gRPC does: filters, order, limits, cursors, projections, collection groups', async () => {
    const batch = rest.batch();
    for (let i = 0; i < 12; i++) batch.set(rest.doc(`teams/t${i % 3}/issues/i${i}`), { n: i, team: `t${i % 3}`, tags: i % 2 ? ['odd'] : ['even'] });
    await batch.commit();
    const shapes = (db: FirebaseFirestore.Firestore) => [
      db.collection('teams/t1/issues').where('n', '>=', 4).orderBy('n', 'desc').limit(2),
      db.collectionGroup('issues').where('tags', 'array-contains', 'odd').orderBy('n').startAfter(3).select('n'),
      db.collectionGroup('issues').where('team', 'in', ['t0', 't2']).orderBy('n').limitToLast(3),
      db.collectionGroup('issues').where(FieldPath.documentId(), '>=', rest.doc('teams/t2/issues/i0').path).orderBy(FieldPath.documentId()).limit(1),
    ];
    const run = async (db: FirebaseFirestore.Firestore) => Promise.all(shapes(db).map(async (q) => (await q.get()).docs.map((d) => [d.ref.path, d.data()])));
    const viaRest = await run(rest);
    expect(viaRest).toEqual(await run(grpc));
    expect(viaRest[0]!.map(([p]) => p)).toEqual(['teams/t1/issues/i10', 'teams/t1/issues/i7']);
    expect(viaRest[1]!.map(([, d]) => d)).toEqual([{ n: 5 }, { n: 7 }, { n: 9 }, { n: 11 }]);
  });

  it('counts, sums and averages', async () => {
    const batch = rest.batch();
    for (const n of [1, 2, 3, 4]) batch.set(rest.doc(`agg/d${n}`), { n });
    await batch.commit();
    const snap = await rest.collection('agg').aggregate({ count: AggregateField.count(), sum: AggregateField.sum('n'), avg: AggregateField.average('n') }).get();
    expect(snap.data()).toEqual({ count: 4, sum: 10, avg: 2.5 });
    expect((await rest.collection('agg').where('n', '>', 2).count().get()).data().count).toBe(2);
  });

  it('lists collections and documents, including documents that only have subcollections', async () => {
    await rest.doc('listing/present').set({ v: 1 });
    await rest.doc('listing/ghost/child/c').set({ v: 1 });
    const ids = (await rest.collection('listing').listDocuments()).map((d) => d.id).sort();
    expect(ids).toEqual(['ghost', 'present']);
    expect((await rest.doc('listing/ghost').listCollections()).map((c) => c.id)).toEqual(['child']);
    expect((await rest.listCollections()).map((c) => c.id)).toContain('listing');
  });

  it('writes with a BulkWriter and deletes a tree with recursiveDelete', async () => {
    const writer = rest.bulkWriter();
    for (let i = 0; i < 30; i++) void writer.set(rest.doc(`tree/root/leaves/l${i}`), { i });
    void writer.set(rest.doc('tree/root'), { root: true });
    await writer.close();
    expect((await grpc.collection('tree/root/leaves').count().get()).data().count).toBe(30);
    await rest.recursiveDelete(rest.doc('tree/root'));
    expect((await grpc.collection('tree/root/leaves').count().get()).data().count).toBe(0);
    expect((await grpc.doc('tree/root').get()).exists).toBe(false);
  });

  it('serves a gRPC listener on the same address, which sees a REST write', async () => {
    const seen = new Promise<unknown>((resolve) => {
      const stop = grpc.doc('live/one').onSnapshot((s) => { if (s.exists) { stop(); resolve(s.get('v')); } });
    });
    await rest.doc('live/one').set({ v: 'hello' });
    expect(await seen).toBe('hello');
  });
});

describe('the REST client of these tests', () => {
  it('sent every call over HTTP/1.1: no connection it opened began with the HTTP/2 preface', () => {
    expect(tap.openings.length).toBeGreaterThan(0);
    expect(tap.openings.filter((o) => !/^(POST|GET|PATCH|DELETE) \/v1\//.test(o))).toEqual([]);
  });
});

describe('the REST endpoint, called directly', () => {
  const base = () => `http://${process.env.FIRESTORE_EMULATOR_HOST}/v1/projects/${projectId}/databases/(default)/documents`;

  it('answers a body that is not JSON with 400 and Google\'s error shape, and keeps serving', async () => {
    const res = await fetch(`${base()}:commit`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer owner' }, body: '{"writes": [' });
    expect(res.status).toBe(400);
    const body = await res.json() as { error?: { code?: number; status?: string } };
    expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect((await rest.doc('values/all').get()).exists).toBe(true);
  });

  it('answers a document that does not exist with 404 NOT_FOUND', async () => {
    const res = await fetch(`${base()}/nowhere/nothing`, { headers: { authorization: 'Bearer owner' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error?: { status?: string } }).error?.status).toBe('NOT_FOUND');
  });
});
