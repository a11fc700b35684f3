// count / sum / average as Firestore computes them.
import { describe, it, expect, beforeAll } from 'vitest';
import { AggregateField } from '@google-cloud/firestore';
import { newFirestore } from '../support/firestore.js';

const db = newFirestore();
const scores = db.collection('scores');

beforeAll(async () => {
  const rows = [{ p: 10, r: 4 }, { p: 20, r: 4.5 }, { p: 30 }, { p: 'not a number', r: 5 }, { p: 40, r: 3.5 }];
  await Promise.all(rows.map((row, i) => scores.doc(`s${i}`).set(row)));
});

describe('aggregations', () => {
  it('counts all documents and the filtered ones', async () => {
    expect((await scores.count().get()).data().count).toBe(5);
    expect((await scores.where('p', '>', 15).count().get()).data().count).toBe(3);
  });

  it('count() honours limit', async () => {
    expect((await scores.limit(2).count().get()).data().count).toBe(2);
  });

  it('sum and average ignore missing and non-numeric values', async () => {
    expect((await scores.aggregate({ s: AggregateField.sum('p') }).get()).data()).toEqual({ s: 100 });
    expect((await scores.aggregate({ a: AggregateField.average('r') }).get()).data()).toEqual({ a: 4.25 });
  });

  it('several aggregations take only documents that have every aggregated field', async () => {
    const d = (await scores.aggregate({ s: AggregateField.sum('p'), a: AggregateField.average('r'), c: AggregateField.count() }).get()).data();
    expect(d).toEqual({ s: 70, a: 4.25, c: 4 });
  });

  it('an empty result sums to 0 and averages to null', async () => {
    const d = (await db.collection('empty').aggregate({ s: AggregateField.sum('x'), a: AggregateField.average('x'), c: AggregateField.count() }).get()).data();
    expect(d).toEqual({ s: 0, a: null, c: 0 });
  });

  it('a sum of doubles is a double', async () => {
    const d = (await scores.aggregate({ s: AggregateField.sum('r') }).get()).data();
    expect(d.s).toBe(17);
  });
});
