// Document writes and reads as Firestore documents them; runs on the embedded or the official emulator.
import { describe, it, expect } from 'vitest';
import { FieldPath, Timestamp, GeoPoint, DocumentReference } from '@google-cloud/firestore';
import { newFirestore, freshProjectId, sleep } from '../support/firestore.js';

const projectId = freshProjectId();
const db = newFirestore({ projectId });

describe('document writes', () => {
  it('set() replaces the whole document', async () => {
    const ref = db.doc('docs/replace');
    await ref.set({ a: 1, b: 2, m: { x: 1, y: 2 } });
    await ref.set({ a: 3, m: { x: 9 } });
    expect((await ref.get()).data()).toEqual({ a: 3, m: { x: 9 } });
  });

  it('set(merge) deep-merges maps and mergeFields touches only the listed fields', async () => {
    const ref = db.doc('docs/merge');
    await ref.set({ a: 1, b: 2, m: { x: 1, y: 2 } });
    await ref.set({ m: { x: 9 }, c: 3 }, { merge: true });
    await ref.set({ a: 5, b: 6 }, { mergeFields: ['a'] });
    expect((await ref.get()).data()).toEqual({ a: 5, b: 2, c: 3, m: { x: 9, y: 2 } });
  });

  it('update() with a dotted path keeps siblings; with a map value replaces the map', async () => {
    const ref = db.doc('docs/update');
    await ref.set({ m: { x: 1, y: 2 }, n: { x: 1, y: 2 } });
    await ref.update({ 'm.x': 5, n: { x: 7 } });
    expect((await ref.get()).data()).toEqual({ m: { x: 5, y: 2 }, n: { x: 7 } });
  });

  it('update() with a FieldPath treats a dot as part of the key', async () => {
    const ref = db.doc('docs/fieldpath');
    await ref.set({ z: 1 });
    await ref.update(new FieldPath('a.b'), 1);
    expect((await ref.get()).data()).toEqual({ z: 1, 'a.b': 1 });
  });

  it.each([
    ['create() on an existing document', async () => { await db.doc('docs/c1').set({ a: 1 }); await db.doc('docs/c1').create({ a: 2 }); }, 6],
    ['update() on a missing document', () => db.doc('docs/missing').update({ a: 1 }), 5],
    ['delete({exists:true}) on a missing document', () => db.doc('docs/missing').delete({ exists: true }), 5],
  ])('%s is refused with the documented code', async (_name, act, code) => {
    await expect(act()).rejects.toMatchObject({ code });
  });

  it('refuses a write with a stale lastUpdateTime and keeps the newer value', async () => {
    const ref = db.doc('docs/stale');
    await ref.set({ x: 1 });
    const seen = await ref.get();
    await sleep(2);
    await ref.update({ x: 2 });
    await expect(ref.update({ x: 3 }, { lastUpdateTime: seen.updateTime })).rejects.toMatchObject({ code: 9 });
    await expect(ref.delete({ lastUpdateTime: seen.updateTime })).rejects.toMatchObject({ code: 9 });
    expect((await ref.get()).get('x')).toBe(2);
  });

  it('accepts a write whose lastUpdateTime is current', async () => {
    const ref = db.doc('docs/current');
    await ref.set({ x: 1 });
    const seen = await ref.get();
    await ref.update({ x: 2 }, { lastUpdateTime: seen.updateTime });
    expect((await ref.get()).get('x')).toBe(2);
  });

  it('keeps createTime, advances updateTime, and reports writeTime as the new updateTime', async () => {
    const ref = db.doc('docs/times');
    const w1 = await ref.set({ x: 1 });
    const s1 = await ref.get();
    await sleep(2);
    const w2 = await ref.update({ x: 2 });
    const s2 = await ref.get();
    expect(s2.createTime!.isEqual(s1.createTime!)).toBe(true);
    expect(s2.updateTime!.toMillis() >= s1.updateTime!.toMillis() && !s2.updateTime!.isEqual(s1.updateTime!)).toBe(true);
    expect(w1.writeTime.isEqual(s1.updateTime!) && w2.writeTime.isEqual(s2.updateTime!)).toBe(true);
  });

  it('a write that changes nothing keeps the previous updateTime', async () => {
    const ref = db.doc('docs/noop');
    const first = await ref.set({ v: 1, m: { a: [1, 'x'] } });
    await sleep(5);
    const again = await ref.set({ v: 1, m: { a: [1, 'x'] } });
    expect(again.writeTime.isEqual(first.writeTime)).toBe(true);
    expect((await ref.get()).updateTime!.isEqual(first.writeTime)).toBe(true);
  });

  it('deleting a missing document is a no-op', async () => {
    await db.doc('docs/never').delete();
    expect((await db.doc('docs/never').get()).exists).toBe(false);
  });

  it('add() creates a document with a 20-character random id', async () => {
    const ref = await db.collection('docs_add').add({ a: 1 });
    expect(ref.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await ref.get()).data()).toEqual({ a: 1 });
  });
});

describe('values round-trip unchanged', () => {
  it.each([
    ['a Timestamp with microseconds', new Timestamp(1700000000, 123456000)],
    ['a GeoPoint', new GeoPoint(35.68, 139.76)],
    ['bytes', Buffer.from([0, 1, 2, 255])],
    ['nested maps and arrays of maps', { a: { b: { c: [1, { d: 'x' }] } }, e: {} }],
    ['null', null],
    ['an empty array', []],
    ['a unicode string', 'こんにちは 🌍'],
    ['a 1,000,000-character string', 'x'.repeat(1_000_000)],
    ['negative zero and large doubles', [-0.5, 1.7976931348623157e308]],
  ])('%s', async (_name, value) => {
    const ref = db.doc(`types/${_name.replace(/\W/g, '_')}`);
    await ref.set({ v: value });
    const got = (await ref.get()).get('v');
    if (value instanceof Timestamp || value instanceof GeoPoint) expect(value.isEqual(got)).toBe(true);
    else expect(got).toEqual(value);
  });

  it('NaN', async () => {
    await db.doc('types/nan').set({ v: NaN });
    expect(Number.isNaN((await db.doc('types/nan').get()).get('v'))).toBe(true);
  });

  it('a DocumentReference', async () => {
    await db.doc('types/ref').set({ v: db.doc('a/b') });
    const got = (await db.doc('types/ref').get()).get('v');
    expect(got).toBeInstanceOf(DocumentReference);
    expect(got.path).toBe('a/b');
  });

  it('int64 beyond 2^53 with useBigInt', async () => {
    const big = newFirestore({ projectId, useBigInt: true });
    await big.doc('types/bigint').set({ v: 9007199254740993n });
    expect((await big.doc('types/bigint').get()).get('v')).toBe(9007199254740993n);
  });

  it('field names with dots, spaces and non-Latin letters', async () => {
    await db.doc('types/names').set({ 'a.b': 1, 'with space': 2, 日本: 3 });
    expect((await db.doc('types/names').get()).data()).toEqual({ 'a.b': 1, 'with space': 2, 日本: 3 });
  });
});

describe('limits Firestore enforces', () => {
  it('refuses a document over 1 MiB', async () => {
    await expect(db.doc('limits/huge').set({ v: 'x'.repeat(1_048_576) })).rejects.toMatchObject({ code: 3 });
    expect((await db.doc('limits/huge').get()).exists).toBe(false);
  });

  it('refuses reserved field names and document ids', async () => {
    await expect(db.doc('limits/reserved').set({ __x__: 1 })).rejects.toMatchObject({ code: 3 });
    await expect(db.doc('limits/__bad__').set({ a: 1 })).rejects.toMatchObject({ code: 3 });
  });

  it('refuses an array directly inside an array, as production does', async () => {
    await expect(db.doc('limits/nested').set({ v: [1, [2]] })).rejects.toMatchObject({ code: 3 });
  });
});
