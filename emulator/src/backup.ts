// Backups of the embedded emulator's data folder (what `npm start` keeps in .reckon-data/): a
// copy of its one data file, checked by loading it into a fresh engine before it counts, and a
// restore that replaces the data file atomically with a checked copy.
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from './engine.js';
import { loadFrom } from './persistence.js';

const FILE = 'firestore.bin';

/** How many documents a data folder holds; throws when its file does not load. */
export function countDocuments(dataDir: string): number {
  return loadFrom(new Engine(), dataDir);
}

/**
 * Copies `dataDir`'s data file to `outFile` (the emulator replaces that file by renaming, so a
 * copy taken while `npm start` runs is one whole save) and checks the copy loads.
 */
export function backupData(dataDir: string, outFile: string): { documents: number } {
  const source = path.join(dataDir, FILE);
  if (!fs.existsSync(source)) throw new Error(`no data in ${dataDir} (nothing saved yet)`);
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outFile)), '.backup-'));
  try {
    fs.copyFileSync(source, path.join(staging, FILE));
    const documents = countDocuments(staging);
    fs.renameSync(path.join(staging, FILE), outFile);
    return { documents };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Replaces `dataDir`'s data with a backup, after checking the backup loads. Stop the emulator first. */
export function restoreData(backupFile: string, dataDir: string): { documents: number } {
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = path.join(dataDir, `${FILE}.restore`);
  fs.copyFileSync(backupFile, tmp);
  try {
    const check = fs.mkdtempSync(path.join(dataDir, '.check-'));
    try {
      fs.copyFileSync(tmp, path.join(check, FILE));
      const documents = countDocuments(check);
      fs.renameSync(tmp, path.join(dataDir, FILE));
      return { documents };
    } finally {
      fs.rmSync(check, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
