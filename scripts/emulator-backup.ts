// `npm run backup [-- --out FILE]` and `npm run restore -- FILE`: backs up or restores the data of
// the embedded emulator `npm start` uses (RECKON_DATA_DIR, default .reckon-data/firestore).
// Backups go to .reckon-data/backups/firestore-<time>.bin. Stop `npm start` before a restore: it
// saves its own data on the way out and would write over the restored one.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { backupData, restoreData } from '../emulator/src/backup.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.RECKON_DATA_DIR ?? path.join(ROOT, '.reckon-data', 'firestore');
const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const [command, file] = positionals;

try {
  if (command === 'backup') {
    const out = values.out ?? path.join(ROOT, '.reckon-data', 'backups', `firestore-${new Date().toISOString().replace(/[:.]/g, '-')}.bin`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { documents } = backupData(dataDir, out);
    console.log(`Backed up ${documents} documents from ${path.relative(ROOT, dataDir)} to ${path.relative(ROOT, out)}`);
  } else if (command === 'restore' && file) {
    const { documents } = restoreData(file, dataDir);
    console.log(`Restored ${documents} documents from ${file} into ${path.relative(ROOT, dataDir)}; start Reckon with npm start.`);
  } else {
    console.error('usage: npm run backup [-- --out FILE] | npm run restore -- FILE');
    process.exit(2);
  }
} catch (e) {
  console.error(`${command} failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
