// onSnapshot: Reckon polls, but the Listen stream works for tools and tests that use it.
import { describe, it, expect } from 'vitest';
import { newFirestore, sleep } from '../support/firestore.js';

const db = newFirestore();

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(20);
}

describe('listening', () => {
  it('a document listener sees the initial state, an update and the delete', async () => {
    const ref = db.doc('listen/d1');
    await ref.set({ v: 1 });
    const seen: unknown[] = [];
    const unsubscribe = ref.onSnapshot((s) => seen.push(s.exists ? s.get('v') : 'deleted'));
    await until(() => seen.length === 1);
    await ref.update({ v: 2 });
    await until(() => seen.length === 2);
    await ref.delete();
    await until(() => seen.length === 3);
    unsubscribe();
    expect(seen).toEqual([1, 2, 'deleted']);
  });

  it('a query listener reports added, modified and removed documents only for its query', async () => {
    const col = db.collection('listenq');
    await col.doc('a').set({ k: 1 });
    const events: string[] = [];
    const unsubscribe = col.where('k', '>', 0).onSnapshot((s) => events.push(s.docChanges().map((c) => `${c.type}:${c.doc.id}`).join('+')));
    await until(() => events.length === 1);
    await db.doc('unrelated/u').set({ k: 5 });
    await col.doc('b').set({ k: 2 });
    await until(() => events.length === 2);
    await col.doc('a').update({ k: 5 });
    await until(() => events.length === 3);
    await col.doc('b').update({ k: 0 });
    await until(() => events.length === 4);
    unsubscribe();
    expect(events).toEqual(['added:a', 'added:b', 'modified:a', 'removed:b']);
  });
});
