// Issue #20 item 6: `npm run backup` / `npm run restore` of the embedded emulator's data folder.
import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { backupData, restoreData } from '../../emulator/src/backup.js';
import { freshProjectId, onEmbeddedEmulator } from '../support/firestore.js';

function clientFor(host: string, projectId: string): Firestore {
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try { return new Firestore({ projectId }); } finally { process.env.FIRESTORE_EMULATOR_HOST = saved; }
}

const running: RunningEmulator[] = [];
afterEach(async () => { await Promise.all(running.splice(0).map((e) => e.stop())); });

/** Starts the emulator on `dataDir`, runs `work` with a client, and stops it (which saves). */
async function withEmulator<T>(dataDir: string, projectId: string, work: (db: Firestore) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ dataDir });
  running.push(emulator);
  const db = clientFor(emulator.host, projectId);
  try { return await work(db); } finally { await db.terminate(); await emulator.stop(); running.splice(running.indexOf(emulator), 1); }
}

describe.runIf(onEmbeddedEmulator())('backup and restore of the emulator data folder', () => {
  it('a restore brings back exactly what the backup held: later writes and deletes are undone', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-backup-'));
    const projectId = freshProjectId('backup');
    const backup = path.join(dataDir, '..', `${path.basename(dataDir)}.bin`);
    await withEmulator(dataDir, projectId, async (db) => {
      await db.doc('sessions/s1').set({ name: 'Sprint 12' });
      await db.doc('sessions/s1/issues/i1').set({ title: 'Login' });
    });
    expect(backupData(dataDir, backup)).toEqual({ documents: 2 });
    await withEmulator(dataDir, projectId, async (db) => {
      await db.doc('sessions/s1').delete();
      await db.doc('sessions/s2').set({ name: 'After the backup' });
    });
    expect(restoreData(backup, dataDir)).toEqual({ documents: 2 });
    const after = await withEmulator(dataDir, projectId, async (db) => ({
      s1: (await db.doc('sessions/s1').get()).get('name'), issue: (await db.doc('sessions/s1/issues/i1').get()).get('title'), s2: (await db.doc('sessions/s2').get()).exists,
    }));
    expect(after).toEqual({ s1: 'Sprint 12', issue: 'Login', s2: false });
    fs.rmSync(backup, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a backup of a folder with no data and a restore of a damaged file, leaving the data as it was', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-backup-'));
    expect(() => backupData(dataDir, path.join(dataDir, 'x.bin'))).toThrow(/no data/);
    const projectId = freshProjectId('backup');
    await withEmulator(dataDir, projectId, (db) => db.doc('sessions/s1').set({ name: 'Keep me' }));
    const before = fs.readFileSync(path.join(dataDir, 'firestore.bin'));
    const damaged = path.join(dataDir, 'damaged.bin');
    fs.writeFileSync(damaged, Buffer.concat([before.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff, 0xff])]));
    expect(() => restoreData(damaged, dataDir)).toThrow();
    expect(fs.readFileSync(path.join(dataDir, 'firestore.bin')).equals(before)).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['damaged.bin', 'firestore.bin']);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
