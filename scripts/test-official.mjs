// `npm run test:official`: runs the whole Vitest suite against Google's official Firestore
// emulator (gcloud + Java), the oracle Reckon's embedded emulator is checked against.
// Where gcloud lacks the emulator it says so and exits 0: there is nothing to compare with.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

/** Java, and the emulator either as a gcloud component or as the apt package the Cloud SDK images
 *  install (their component manager is off, so `components list` fails there): its jar on disk. */
function officialEmulatorInstalled() {
  if (spawnSync('java', ['-version']).status !== 0) return false;
  const r = spawnSync('gcloud', ['components', 'list', '--only-local-state', '--format=value(id)'], { encoding: 'utf8' });
  if (!r.error && r.status === 0 && r.stdout.split('\n').includes('cloud-firestore-emulator')) return true;
  const root = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8' });
  return !root.error && root.status === 0 && fs.existsSync(path.join(root.stdout.trim(), 'platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar'));
}

function freePort() {
  return new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
}

async function waitForPort(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((resolve) => { const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); }); c.on('error', () => resolve(false)); });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (!officialEmulatorInstalled()) {
  // Cloud Build sets RECKON_REQUIRE_OFFICIAL=1: there a missing emulator is a broken image, not a skip.
  if (process.env.RECKON_REQUIRE_OFFICIAL === '1') { console.error('test:official: the official Firestore emulator (gcloud component and Java) is required here but missing'); process.exit(1); }
  console.log('test:official skipped: the official Firestore emulator is not installed here (needs the Cloud SDK component cloud-firestore-emulator and Java).');
  process.exit(0);
}
// Each test file gets a freshly started emulator, so that one file's leftovers (data, held
// locks of abandoned transactions) cannot slow or fail another's. Files run two at a time (one
// per core; RECKON_OFFICIAL_JOBS changes it), each against its own emulator.
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []));
}
const groups = process.argv.length > 2 ? [process.argv.slice(2)] : testFiles('test').filter((f) => !f.startsWith(path.join('test', 'e2e'))).sort().map((f) => [f]);
const jobs = Math.max(1, Number(process.env.RECKON_OFFICIAL_JOBS ?? 2) || 1);
const stops = new Set();
process.on('exit', () => { for (const stop of stops) stop(); });

/** Runs one group against a fresh emulator; output and the emulator's log go to files, never to a pipe nobody drains. */
async function runGroup(group) {
  const port = await freePort();
  const logPath = path.join(os.tmpdir(), `reckon-official-emulator-${port}.log`);
  const outPath = path.join(os.tmpdir(), `reckon-official-vitest-${port}.log`);
  const logFd = fs.openSync(logPath, 'w');
  const emulator = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=127.0.0.1:${port}`, '--quiet'], { detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const stop = () => { try { process.kill(-emulator.pid, 'SIGTERM'); } catch { /* already gone */ } };
  stops.add(stop);
  try {
    if (!(await waitForPort(port, 60_000))) return { ok: false, text: `official emulator did not start:\n${fs.readFileSync(logPath, 'utf8')}` };
    const outFd = fs.openSync(outPath, 'w');
    // Vitest through this very Node (no npx): Cloud Build runs this in the Cloud SDK image, which has no npm.
    const vitest = spawn(process.execPath, [path.join('node_modules', 'vitest', 'vitest.mjs'), 'run', ...group], { stdio: ['ignore', outFd, outFd], env: { ...process.env, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${port}` } });
    fs.closeSync(outFd);
    const code = await new Promise((resolve) => vitest.on('close', resolve));
    const text = `official Firestore emulator on 127.0.0.1:${port}; ran ${group.join(' ')} against it\n${fs.readFileSync(outPath, 'utf8')}`;
    if (code !== 0) return { ok: false, text: `${text}\nthe official emulator's log for this file: ${logPath}` };
    fs.rmSync(logPath, { force: true });
    return { ok: true, text };
  } finally {
    stop();
    stops.delete(stop);
    fs.rmSync(outPath, { force: true });
  }
}

let failed = false;
let next = 0;
await Promise.all(Array.from({ length: Math.min(jobs, groups.length) }, async () => {
  while (next < groups.length) {
    const result = await runGroup(groups[next++]);
    process.stdout.write(result.text);
    if (!result.ok) failed = true;
  }
}));
process.exit(failed ? 1 : 0);
