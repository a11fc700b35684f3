// Listing, bulk writes, recursive deletes, firebase-admin, and isolation by project and database.
import { describe, it, expect } from 'vitest';
import { initializeApp, deleteApp } from 'firebase-admin/app';
import { getFirestore, FieldValue } from 'firebase-admin/firestore';
import { newFirestore, freshProjectId } from '../support/firestore.js';

const projectId = freshProjectId();
const db = newFirestore({ projectId });

describe('listing', () => {
  it('getAll keeps the order asked for and reports missing documents', async () => {
    await db.doc('l/a').set({ n: 1 });
    await db.doc('l/b').set({ n: 2, m: 3 });
    const snaps = await db.getAll(db.doc('l/b'), db.doc('l/none'), db.doc('l/a'));
    expect(snaps.map((s) => `${s.id}:${s.exists}`)).toEqual(['b:true', 'none:false', 'a:true']);
  });

  it('getAll with a field mask returns only those fields', async () => {
    await db.doc('mask/a').set({ name: 'x', other: 1 });
    const [s] = await db.getAll(db.doc('mask/a'), { fieldMask: ['name'] });
    expect(s!.data()).toEqual({ name: 'x' });
  });

  it('listDocuments includes documents that exist only through subcollections', async () => {
    await db.doc('ld/real').set({ a: 1 });
    await db.doc('ld/ghost/sub/child').set({ a: 1 });
    expect((await db.collection('ld').listDocuments()).map((r) => r.id).sort()).toEqual(['ghost', 'real']);
  });

  it('listCollections lists root and subcollections that hold documents', async () => {
    await db.doc('lc/p/kids/c').set({ a: 1 });
    await db.doc('lc/p/pets/d').set({ a: 1 });
    expect((await db.listCollections()).map((c) => c.id)).toContain('lc');
    expect((await db.doc('lc/p').listCollections()).map((c) => c.id)).toEqual(['kids', 'pets']);
  });
});

describe('bulk operations', () => {
  it('BulkWriter writes every document', async () => {
    const writer = db.bulkWriter();
    for (let i = 0; i < 25; i++) void writer.set(db.doc(`bw/d${i}`), { i });
    await writer.close();
    expect((await db.collection('bw').count().get()).data().count).toBe(25);
  });

  it('BulkWriter reports a failing write without stopping the others', async () => {
    const writer = db.bulkWriter();
    writer.onWriteError(() => false);
    const bad = writer.update(db.doc('bw2/missing'), { a: 1 }).catch((e) => e);
    const good = writer.set(db.doc('bw2/ok'), { a: 1 });
    await writer.close();
    expect(await bad).toMatchObject({ code: 5 });
    await good;
    expect((await db.doc('bw2/ok').get()).exists).toBe(true);
  });

  it('recursiveDelete removes a document and everything below it', async () => {
    await db.doc('rd/p').set({ a: 1 });
    await db.doc('rd/p/sub/c').set({ a: 1 });
    await db.doc('rd/p/sub/c/deeper/d').set({ a: 1 });
    await db.doc('rd/keep').set({ a: 1 });
    await db.recursiveDelete(db.doc('rd/p'));
    const [p, c, d, keep] = await db.getAll(db.doc('rd/p'), db.doc('rd/p/sub/c'), db.doc('rd/p/sub/c/deeper/d'), db.doc('rd/keep'));
    expect([p!.exists, c!.exists, d!.exists, keep!.exists]).toEqual([false, false, false, true]);
  });
});

describe('isolation', () => {
  it('projects do not see each other', async () => {
    const other = newFirestore();
    await db.doc('iso/x').set({ who: 'mine' });
    await other.doc('iso/x').set({ who: 'theirs' });
    expect((await db.doc('iso/x').get()).get('who')).toBe('mine');
    expect((await other.doc('iso/x').get()).get('who')).toBe('theirs');
  });

  it('a named database is separate from (default)', async () => {
    const named = newFirestore({ projectId, databaseId: 'second' });
    await db.doc('iso/y').set({ who: 'default' });
    await named.doc('iso/y').set({ who: 'second' });
    expect((await db.doc('iso/y').get()).get('who')).toBe('default');
    expect((await named.doc('iso/y').get()).get('who')).toBe('second');
  });

  it('firebase-admin connects through FIRESTORE_EMULATOR_HOST with no other setting', async () => {
    const app = initializeApp({ projectId: freshProjectId('admin') }, `admin-${Date.now()}`);
    const adb = getFirestore(app);
    await adb.doc('a/b').set({ n: FieldValue.increment(1) }, { merge: true });
    expect((await adb.doc('a/b').get()).get('n')).toBe(1);
    await deleteApp(app);
  });
});
