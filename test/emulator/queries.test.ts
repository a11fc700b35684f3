// Queries: filters, Firestore's value ordering, implicit orders, cursors, limits and projections.
import { describe, it, expect, beforeAll } from 'vitest';
import { FieldPath, Filter, Timestamp, type Query } from '@google-cloud/firestore';
import { newFirestore, onEmbeddedEmulator } from '../support/firestore.js';

const db = newFirestore();
const cities = db.collection('cities');
const mixed = db.collection('mixed');

beforeAll(async () => {
  // Written deliberately out of id order.
  const seed: Record<string, object> = {
    SF: { name: 'San Francisco', country: 'USA', capital: false, population: 860000, regions: ['west_coast', 'norcal'], loc: { zip: 94105 }, rating: 4.5, state: 'CA' },
    LA: { name: 'Los Angeles', country: 'USA', capital: false, population: 3900000, regions: ['west_coast', 'socal'], loc: { zip: 90001 }, rating: 4, state: 'CA' },
    DC: { name: 'Washington', country: 'USA', capital: true, population: 680000, regions: ['east_coast'], rating: 3.5, state: null },
    TOK: { name: 'Tokyo', country: 'Japan', capital: true, population: 9000000, regions: ['kanto', 'honshu'], rating: 5, state: null },
    BJ: { name: 'Beijing', country: 'China', capital: true, population: 21500000, regions: ['jingjinji', 'hebei'], state: null },
  };
  for (const [id, d] of Object.entries(seed)) await cities.doc(id).set(d);
  await db.doc('cities/SF/landmarks/gg').set({ name: 'Golden Gate' });
  await db.doc('cities/TOK/landmarks/tt').set({ name: 'Tokyo Tower' });
  await db.doc('other/x/landmarks/ll').set({ name: 'Elsewhere' });
  await db.doc('landmarks/root').set({ name: 'root-level' });
  const values: Record<string, unknown> = { a: 1, b: null, c: 'str', d: NaN, e: 2.5, f: [1, 2], g: true, h: -Infinity, i: { k: 1 }, j: Timestamp.fromMillis(5000), k: Buffer.from([1]) };
  for (const [id, x] of Object.entries(values)) await mixed.doc(id).set({ x });
  await mixed.doc('noX').set({ y: 1 });
});

const ids = async (q: Query) => (await q.get()).docs.map((d) => d.id);

describe('filters', () => {
  it.each<[string, () => Query, string[]]>([
    ['==', () => cities.where('country', '==', 'USA'), ['DC', 'LA', 'SF']],
    ['!= orders by the field and skips nulls and missing fields', () => cities.where('country', '!=', 'USA'), ['BJ', 'TOK']],
    ['< orders by the field', () => cities.where('population', '<', 1000000), ['DC', 'SF']],
    ['>', () => cities.where('population', '>', 5000000), ['TOK', 'BJ']],
    ['in', () => cities.where('country', 'in', ['Japan', 'China']), ['BJ', 'TOK']],
    ['not-in', () => cities.where('country', 'not-in', ['USA']), ['BJ', 'TOK']],
    ['array-contains', () => cities.where('regions', 'array-contains', 'west_coast'), ['LA', 'SF']],
    ['array-contains-any', () => cities.where('regions', 'array-contains-any', ['socal', 'kanto']), ['LA', 'TOK']],
    ['Filter.or across fields', () => cities.where(Filter.or(Filter.where('country', '==', 'Japan'), Filter.where('capital', '==', false))), ['LA', 'SF', 'TOK']],
    ['nested or(and(..), ..)', () => cities.where(Filter.or(Filter.and(Filter.where('country', '==', 'USA'), Filter.where('capital', '==', true)), Filter.where('country', '==', 'Japan'))), ['DC', 'TOK']],
    ['== and > chained', () => cities.where('country', '==', 'USA').where('population', '>', 700000), ['SF', 'LA']],
    ['a nested field', () => cities.where('loc.zip', '==', 94105), ['SF']],
    ['== null', () => cities.where('state', '==', null), ['BJ', 'DC', 'TOK']],
    ['!= null', () => cities.where('state', '!=', null), ['LA', 'SF']],
    ['int and double compare by value', () => cities.where('rating', '>=', 4), ['LA', 'SF', 'TOK']],
    ['== 5 finds a stored 5', () => cities.where('rating', '==', 5), ['TOK']],
    ['documentId() in', () => cities.where(FieldPath.documentId(), 'in', ['SF', 'TOK']), ['SF', 'TOK']],
    ['documentId() >=', () => cities.where(FieldPath.documentId(), '>=', 'L'), ['LA', 'SF', 'TOK']],
    ['a range matches only values of the same type', () => mixed.where('x', '<', 2), ['h', 'a']],
    ['== NaN matches NaN only', () => mixed.where('x', '==', NaN), ['d']],
    ['in with null never matches null', () => mixed.where('x', 'in', [1, null]), ['a']],
    ['not-in with null matches nothing', () => mixed.where('x', 'not-in', [null]), []],
    ['Timestamp range', () => mixed.where('x', '>', Timestamp.fromMillis(2000)), ['j']],
  ])('%s', async (_name, query, want) => {
    expect(await ids(query())).toEqual(want);
  });
});

describe('ordering', () => {
  it.each<[string, () => Query, string[]]>([
    ['no order: by document id', () => cities, ['BJ', 'DC', 'LA', 'SF', 'TOK']],
    ['two fields, asc then desc', () => cities.orderBy('country').orderBy('population', 'desc'), ['BJ', 'TOK', 'LA', 'SF', 'DC']],
    ['desc', () => cities.orderBy('population', 'desc'), ['BJ', 'TOK', 'LA', 'SF', 'DC']],
    ['a nested field; documents without it are left out', () => cities.orderBy('loc.zip'), ['LA', 'SF']],
    ['documents missing the order field are left out', () => cities.orderBy('rating'), ['DC', 'LA', 'SF', 'TOK']],
    ['across types: null < bool < NaN < numbers < timestamp < string < bytes < array < map', () => mixed.orderBy('x'), ['b', 'g', 'd', 'h', 'a', 'e', 'j', 'c', 'k', 'f', 'i']],
  ])('%s', async (_name, query, want) => {
    expect(await ids(query())).toEqual(want);
  });
});

// Production serves descending document-id order; the official emulator refuses it ("descending key scans").
describe.runIf(onEmbeddedEmulator())('descending document-id order (embedded emulator; the official one refuses it)', () => {
  it('orders by documentId desc', async () => {
    expect(await ids(cities.orderBy(FieldPath.documentId(), 'desc'))).toEqual(['TOK', 'SF', 'LA', 'DC', 'BJ']);
  });
});

describe('cursors, offset, limit and projection', () => {
  const byPop = () => cities.orderBy('population');
  it.each<[string, () => Query, string[]]>([
    ['limit', () => byPop().limit(2), ['DC', 'SF']],
    ['limitToLast', () => byPop().limitToLast(2), ['TOK', 'BJ']],
    ['startAfter(value)', () => byPop().startAfter(860000), ['LA', 'TOK', 'BJ']],
    ['startAt(value)', () => byPop().startAt(860000), ['SF', 'LA', 'TOK', 'BJ']],
    ['endBefore(value)', () => byPop().endBefore(3900000), ['DC', 'SF']],
    ['endAt(value)', () => byPop().endAt(3900000), ['DC', 'SF', 'LA']],
    ['offset', () => byPop().offset(3), ['TOK', 'BJ']],
    ['offset with limit', () => byPop().offset(1).limit(2), ['SF', 'LA']],
    ['a cursor on a prefix of the order', () => cities.orderBy('country').orderBy('population').startAfter('China'), ['TOK', 'DC', 'SF', 'LA']],
  ])('%s', async (_name, query, want) => {
    expect(await ids(query())).toEqual(want);
  });

  it('startAt(snapshot) continues from that document', async () => {
    expect(await ids(byPop().startAt(await cities.doc('LA').get()))).toEqual(['LA', 'TOK', 'BJ']);
  });

  it('startAfter(snapshot) pages through equal values by document id', async () => {
    const page1 = await cities.orderBy('country').limit(3).get();
    const page2 = await cities.orderBy('country').startAfter(page1.docs[2]!).get();
    expect([...page1.docs, ...page2.docs].map((d) => d.id)).toEqual(['BJ', 'TOK', 'DC', 'LA', 'SF']);
  });

  it('select() returns only the chosen fields', async () => {
    const s = await cities.where('country', '==', 'Japan').select('name').get();
    expect(s.docs.map((d) => d.data())).toEqual([{ name: 'Tokyo' }]);
  });

  it('stream() yields the same documents as get()', async () => {
    const got: string[] = [];
    for await (const d of cities.where('capital', '==', true).stream()) got.push((d as unknown as { id: string }).id);
    expect(got).toEqual(['BJ', 'DC', 'TOK']);
  });
});

describe('collections', () => {
  it('collectionGroup finds every collection with that id at any depth', async () => {
    expect((await ids(db.collectionGroup('landmarks'))).sort()).toEqual(['gg', 'll', 'root', 'tt']);
    expect(await ids(db.collectionGroup('landmarks').where('name', '==', 'Tokyo Tower'))).toEqual(['tt']);
  });

  it('a subcollection query sees only its own documents', async () => {
    expect(await ids(db.collection('cities/SF/landmarks'))).toEqual(['gg']);
  });
});

describe('invalid queries are refused', () => {
  it.each<[string, () => Query]>([
    ['in with more than 30 values', () => cities.where('country', 'in', Array.from({ length: 31 }, (_, i) => `c${i}`))],
  ])('%s', async (_name, query) => {
    await expect(query().get()).rejects.toMatchObject({ code: 3 });
  });
});
