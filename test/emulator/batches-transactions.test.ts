// Atomic batches and serializable transactions.
import { describe, it, expect } from 'vitest';
import { FieldValue } from '@google-cloud/firestore';
import { newFirestore, sleep } from '../support/firestore.js';

const db = newFirestore();

async function commitError(build: (b: FirebaseFirestore.WriteBatch) => void): Promise<{ code?: number } | undefined> {
  const batch = db.batch();
  build(batch);
  try { await batch.commit(); return undefined; } catch (e) { return e as { code?: number }; }
}

describe('batched writes are atomic', () => {
  it('applies all 500 writes of a batch', async () => {
    const batch = db.batch();
    for (let i = 0; i < 500; i++) batch.set(db.doc(`wb500/d${i}`), { i });
    await batch.commit();
    expect((await db.collection('wb500').count().get()).data().count).toBe(500);
  });

  it.each([
    ['an update of a missing document', (b: FirebaseFirestore.WriteBatch) => b.update(db.doc('wb/missing'), { v: 1 }), 5],
    ['a create of an existing document', (b: FirebaseFirestore.WriteBatch) => b.create(db.doc('wb/exists'), { v: 1 }), 6],
    ['a document over 1 MiB', (b: FirebaseFirestore.WriteBatch) => b.set(db.doc('wb/huge'), { v: 'x'.repeat(1_100_000) }), 3],
  ])('applies nothing when one write fails: %s', async (name, failing, code) => {
    await db.doc('wb/exists').set({ v: 0 });
    const tag = name.replace(/\W/g, '_');
    await db.doc('wb/untouched').set({ v: 0 });
    const err = await commitError((b) => { b.set(db.doc(`wb/${tag}-1`), { v: 1 }); b.update(db.doc('wb/untouched'), { v: 9 }); failing(b); });
    expect(err?.code).toBe(code);
    expect((await db.doc(`wb/${tag}-1`).get()).exists).toBe(false);
    expect((await db.doc('wb/untouched').get()).get('v')).toBe(0);
  });

  it('applies nothing when a precondition is stale', async () => {
    const ref = db.doc('wb/pre');
    await ref.set({ v: 0 });
    const seen = await ref.get();
    await sleep(2);
    await ref.set({ v: 1 });
    const err = await commitError((b) => { b.set(db.doc('wb/pre-other'), { v: 1 }); b.update(ref, { v: 2 }, { lastUpdateTime: seen.updateTime }); });
    expect(err?.code).toBe(9);
    expect((await db.doc('wb/pre-other').get()).exists).toBe(false);
    expect((await ref.get()).get('v')).toBe(1);
  });
});

describe('transactions', () => {
  const race = async (racers: number) => {
    const ref = db.doc(`tx/counter-${racers}`);
    await ref.set({ n: 0 });
    await Promise.all(Array.from({ length: racers }, () => db.runTransaction(async (t) => {
      const s = await t.get(ref);
      await sleep(2);
      t.update(ref, { n: s.get('n') + 1 });
    })));
    expect((await ref.get()).get('n')).toBe(racers);
  };

  it('loses no update when 5 read-modify-write transactions race', () => race(5), 60_000);

  it('loses no update when 20 read-modify-write transactions race', () => race(20), 60_000);

  it('serializes a transaction against a writer that changes what it read', async () => {
    const ref = db.doc('tx/contended');
    await ref.set({ v: 0 });
    let attempts = 0;
    let outside: Promise<unknown> | undefined;
    await db.runTransaction(async (t) => {
      attempts++;
      const s = await t.get(ref);
      if (attempts === 1) { outside = ref.set({ v: 100 }); await Promise.race([outside, sleep(500)]); }
      t.set(ref, { v: s.get('v') + 1 });
    });
    await outside;
    // Either the transaction ran again after the outside write (101) or the write came after it (100).
    expect([100, 101]).toContain((await ref.get()).get('v'));
  });

  it('never commits a query result that a concurrent insert made stale', async () => {
    const col = db.collection('tx_phantom');
    await col.doc('a').set({ open: true });
    let attempts = 0;
    let insert: Promise<FirebaseFirestore.WriteResult> | undefined;
    await db.runTransaction(async (t) => {
      attempts++;
      const open = await t.get(col.where('open', '==', true));
      if (attempts === 1) { insert = col.doc('b').set({ open: true }); await Promise.race([insert, sleep(500)]); }
      t.set(db.doc('tx_phantom_summary/s'), { open: open.size });
    });
    const inserted = await insert!;
    const summary = await db.doc('tx_phantom_summary/s').get();
    // Serializable: the count is 2, or it is 1 and the insert committed after the transaction.
    if (summary.get('open') === 1) expect(inserted.writeTime.toMillis()).toBeGreaterThanOrEqual(summary.updateTime!.toMillis());
    else expect(summary.get('open')).toBe(2);
  });

  it('rolls back everything when the callback throws', async () => {
    await expect(db.runTransaction(async (t) => { t.set(db.doc('tx/rollback'), { v: 1 }); throw new Error('boom'); })).rejects.toThrow('boom');
    expect((await db.doc('tx/rollback').get()).exists).toBe(false);
  });

  it('fails whole when one of its writes fails', async () => {
    await db.doc('tx/exists').set({ v: 0 });
    await expect(db.runTransaction(async (t) => { t.set(db.doc('tx/x1'), { v: 1 }); t.create(db.doc('tx/exists'), { v: 1 }); }, { maxAttempts: 1 })).rejects.toMatchObject({ code: 6 });
    expect((await db.doc('tx/x1').get()).exists).toBe(false);
  });

  it('reads documents and queries inside a transaction', async () => {
    await db.doc('txq/a').set({ k: 1 });
    await db.doc('txq/b').set({ k: 2 });
    const result = await db.runTransaction(async (t) => {
      const q = await t.get(db.collection('txq').where('k', '>', 0));
      const all = await t.getAll(db.doc('txq/a'), db.doc('txq/b'), db.doc('txq/zz'));
      return { size: q.size, existing: all.filter((s) => s.exists).length };
    });
    expect(result).toEqual({ size: 2, existing: 2 });
  });

  it('reads the state at readTime in a read-only transaction', async () => {
    const ref = db.doc('tx/pit');
    await ref.set({ v: 1 });
    await sleep(20);
    const readTime = (await ref.get()).readTime;
    await sleep(20);
    await ref.set({ v: 2 });
    const v = await db.runTransaction(async (t) => (await t.get(ref)).get('v'), { readOnly: true, readTime });
    expect(v).toBe(1);
  });

  it('keeps increments made outside a transaction when a transaction on another field commits', async () => {
    const ref = db.doc('tx/mixed');
    await ref.set({ a: 0, n: 0 });
    await Promise.all([
      db.runTransaction(async (t) => { const s = await t.get(ref); t.update(ref, { a: s.get('a') + 1 }); }),
      ...Array.from({ length: 5 }, () => ref.update({ n: FieldValue.increment(1) })),
    ]);
    expect((await ref.get()).data()).toEqual({ a: 1, n: 5 });
  });
});
