// Persistence is a feature of Reckon's embedded emulator only (npm start keeps data across restarts).
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { freshProjectId, onEmbeddedEmulator } from '../support/firestore.js';

/** A client bound to one emulator host (the env var is read when the client is built). */
function clientFor(host: string, projectId: string): Firestore {
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try { return new Firestore({ projectId }); } finally { process.env.FIRESTORE_EMULATOR_HOST = saved; }
}

const running: RunningEmulator[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((e) => e.stop())); });

describe.runIf(onEmbeddedEmulator())('persistence of the embedded emulator', () => {
  it('keeps documents, times and subcollections across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-emu-'));
    const projectId = freshProjectId('persist');
    const first = await startEmulator({ dataDir });
    running.push(first);
    const db1 = clientFor(first.host, projectId);
    const written = await db1.doc('rooms/r1').set({ name: 'Sprint 12', votes: [1, 2, 3], at: new Date(1_700_000_000_123), big: 2 ** 40, blob: Buffer.from('hi') });
    await db1.doc('rooms/r1/issues/i1').set({ title: 'Login' });
    await db1.doc('rooms/gone').set({ x: 1 });
    await db1.doc('rooms/gone').delete();
    await db1.terminate();
    await first.stop();
    running.pop();

    const second = await startEmulator({ dataDir });
    running.push(second);
    const db2 = clientFor(second.host, projectId);
    const snap = await db2.doc('rooms/r1').get();
    expect(snap.get('name')).toBe('Sprint 12');
    expect(snap.get('votes')).toEqual([1, 2, 3]);
    expect(snap.get('at').toMillis()).toBe(1_700_000_000_123);
    expect(snap.get('big')).toBe(2 ** 40);
    expect(Buffer.from(snap.get('blob')).toString()).toBe('hi');
    expect(snap.updateTime!.isEqual(written.writeTime)).toBe(true);
    expect((await db2.doc('rooms/r1/issues/i1').get()).get('title')).toBe('Login');
    expect((await db2.doc('rooms/gone').get()).exists).toBe(false);
    // New commits are ordered after the restored ones.
    const later = await db2.doc('rooms/r1').update({ name: 'Sprint 13' });
    expect(later.writeTime.toMillis()).toBeGreaterThanOrEqual(written.writeTime.toMillis());
    await db2.terminate();
  });

  it('reset() forgets one project and leaves the others', async () => {
    const emu = await startEmulator();
    running.push(emu);
    const a = clientFor(emu.host, 'reset-a');
    const b = clientFor(emu.host, 'reset-b');
    await a.doc('x/1').set({ v: 1 });
    await b.doc('x/1').set({ v: 1 });
    emu.reset('reset-a');
    expect((await a.doc('x/1').get()).exists).toBe(false);
    expect((await b.doc('x/1').get()).exists).toBe(true);
    await Promise.all([a.terminate(), b.terminate()]);
  });

  it('counts the RPCs and billed reads and writes clients cause', async () => {
    const emu = await startEmulator();
    running.push(emu);
    const db = clientFor(emu.host, 'metrics');
    await db.doc('m/1').set({ v: 1 });
    emu.takeMetrics();
    await db.doc('m/1').get();
    await db.collection('m').where('v', '==', 2).get();
    await db.doc('m/2').set({ v: 2 });
    const m = emu.takeMetrics();
    expect(m.rpcs).toEqual({ BatchGetDocuments: 1, RunQuery: 1, Commit: 1 });
    expect(m).toMatchObject({ documentReads: 2, documentWrites: 1 });
    await db.terminate();
  });
});
