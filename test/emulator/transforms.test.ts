// Field transforms, including several in one write and on missing fields.
import { describe, it, expect } from 'vitest';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { newFirestore, freshProjectId } from '../support/firestore.js';

const projectId = freshProjectId();
const db = newFirestore({ projectId });

describe('field transforms', () => {
  it.each([
    ['increments an integer', { n: 1 }, { n: FieldValue.increment(2) }, { n: 3 }],
    ['increments a double', { d: 1.5 }, { d: FieldValue.increment(0.25) }, { d: 1.75 }],
    ['increments a nested field', { s: { n: 1 } }, { 's.n': FieldValue.increment(1) }, { s: { n: 2 } }],
    ['sets a non-numeric field to the increment', { n: 'x' }, { n: FieldValue.increment(3) }, { n: 3 }],
    ['increments a missing field from zero', { z: 1 }, { n: FieldValue.increment(4) }, { z: 1, n: 4 }],
    ['arrayUnion adds only missing elements', { a: ['a'] }, { a: FieldValue.arrayUnion('a', 'b') }, { a: ['a', 'b'] }],
    ['arrayUnion on a missing field', { z: 1 }, { a: FieldValue.arrayUnion('x') }, { z: 1, a: ['x'] }],
    ['arrayRemove removes every occurrence', { a: ['a', 'b', 'a', 'c'] }, { a: FieldValue.arrayRemove('a') }, { a: ['b', 'c'] }],
    ['arrayRemove on a missing field leaves an empty array', { z: 1 }, { a: FieldValue.arrayRemove('x') }, { z: 1, a: [] }],
    ['delete() removes a field', { a: 1, b: 2 }, { b: FieldValue.delete() }, { a: 1 }],
  ])('%s', async (name, before, update, after) => {
    const ref = db.doc(`tr/${name.replace(/\W/g, '_')}`);
    await ref.set(before);
    await ref.update(update);
    expect((await ref.get()).data()).toEqual(after);
  });

  it('saturates integer increments at the int64 bounds', async () => {
    const big = newFirestore({ projectId, useBigInt: true });
    const ref = big.doc('tr/saturate');
    await ref.set({ n: 9223372036854775800n });
    await ref.update({ n: FieldValue.increment(100) });
    expect((await ref.get()).get('n')).toBe(9223372036854775807n);
  });

  it('applies several transforms in one write and in create()', async () => {
    const ref = db.doc('tr/multi');
    await ref.create({ arr: FieldValue.arrayUnion('x'), n: FieldValue.increment(1), ts: FieldValue.serverTimestamp() });
    const d = (await ref.get()).data()!;
    expect(d.arr).toEqual(['x']);
    expect(d.n).toBe(1);
    expect(d.ts).toBeInstanceOf(Timestamp);
  });

  it('serverTimestamp is the time the server processed the write, to the millisecond', async () => {
    const ref = db.doc('tr/ts');
    const before = Date.now();
    const w = await ref.set({ ts: FieldValue.serverTimestamp() });
    const ts = (await ref.get()).get('ts') as Timestamp;
    expect(ts.nanoseconds % 1_000_000).toBe(0);
    // REQUEST_TIME: taken when the request is processed, at or a little before the commit time.
    expect(ts.toMillis()).toBeLessThanOrEqual(w.writeTime.toMillis());
    expect(ts.toMillis()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('delete() in set(merge) removes the field', async () => {
    const ref = db.doc('tr/mergedelete');
    await ref.set({ a: 1, b: 2 });
    await ref.set({ b: FieldValue.delete() }, { merge: true });
    expect((await ref.get()).data()).toEqual({ a: 1 });
  });

  it('loses no update under 50 concurrent increments', async () => {
    const ref = db.doc('tr/concurrent');
    await ref.set({ n: 0 });
    await Promise.all(Array.from({ length: 50 }, () => ref.update({ n: FieldValue.increment(1) })));
    expect((await ref.get()).get('n')).toBe(50);
  });
});
