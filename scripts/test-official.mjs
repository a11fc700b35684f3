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
// One official emulator for the whole run, and one Vitest process over every file against it
// (RECKON_OFFICIAL_JOBS files at a time, default 2: one per core). Files cannot see each other's
// data: every test works in a project id of its own (freshProjectId in test/support/firestore.ts,
// startReckon, the rules tests' initializeTestEnvironment), and the emulator keeps documents, and
// so the locks transactions hold on them, and security rules per project. A new test must do the
// same: never a fixed project id, never a count over a whole emulator.
// Until 2026-11-30 each file had an emulator of its own, so that one file's leftovers (data, held
// locks of abandoned transactions) could not touch another's; but the "degradation" that first
// motivated it was this script's own undrained pipe (d94171e), and per file it cost a gcloud and
// JVM start (~3 s to the port, ~5 CPU-s), a cold JIT and a Vitest start (~2 CPU-s), about half of
// the 14 minutes the suite took. The emulator's output goes to a file, never to a pipe nobody
// drains (at 64 KiB it would stall); on a failure its path and last lines are printed.
function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []));
}
// Files that never reach the emulator this run starts: they test pure functions or the build, or
// run on an embedded emulator of their own. Against the official one they would only run again.
const NOT_AGAINST_THE_EMULATOR = new Map([
  [path.join('test', 'domain'), 'pure functions, no Firestore'],
  [path.join('test', 'deploy'), 'the build and the deploy plan, no Firestore'],
  [path.join('test', 'security', 'bundles.test.ts'), 'the build, no Firestore'],
  [path.join('test', 'security', 'tokens.test.ts'), 'token signing, no Firestore'],
  [path.join('test', 'security', 'envelope.test.ts'), 'error envelopes, no Firestore'],
  [path.join('test', 'forge', 'signature.test.ts'), 'HMAC signatures, no Firestore'],
  [path.join('test', 'access', 'docs.test.ts'), 'docs/api.md against the route table, no Firestore'],
  [path.join('test', 'rooms', 'poll.test.ts'), 'counts reads on an embedded emulator of its own'],
  [path.join('test', 'emulator', 'connections.test.ts'), "the embedded emulator's own port"],
  [path.join('test', 'emulator', 'units.test.ts'), "the embedded emulator's own data structures"],
  [path.join('test', 'emulator', 'persistence.test.ts'), "the embedded emulator's data folder"],
  [path.join('test', 'emulator', 'backup.test.ts'), "the embedded emulator's data folder"],
]);
const notHere = (f) => [...NOT_AGAINST_THE_EMULATOR].find(([p]) => f === p || f.startsWith(p + path.sep));
let files = process.argv.length > 2 ? process.argv.slice(2) : testFiles('test').filter((f) => !f.startsWith(path.join('test', 'e2e'))).sort();
if (process.argv.length <= 2) {
  for (const f of files) { const why = notHere(f); if (why) console.log(`not run against the official emulator: ${f} (${why[1]}; npm test runs it)`); }
  files = files.filter((f) => !notHere(f));
}
const jobs = Math.max(1, Number(process.env.RECKON_OFFICIAL_JOBS ?? 2) || 1);

const port = await freePort();
const logPath = path.join(os.tmpdir(), `reckon-official-emulator-${port}.log`);
const logFd = fs.openSync(logPath, 'w');
const emulator = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=127.0.0.1:${port}`, '--quiet'], { detached: true, stdio: ['ignore', logFd, logFd] });
fs.closeSync(logFd);
const stop = () => { try { process.kill(-emulator.pid, 'SIGTERM'); } catch { /* already gone */ } };
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
const logTail = () => fs.readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n');

const startedAt = Date.now();
if (!(await waitForPort(port, 60_000))) { console.error(`official emulator did not start:\n${logTail()}`); process.exit(1); }
console.log(`official Firestore emulator on 127.0.0.1:${port} (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s); running ${files.length} test file(s) against it, ${jobs} at a time`);
// Vitest through this very Node (no npx): Cloud Build runs this in the Cloud SDK image, which has no npm.
const vitest = spawn(process.execPath, [path.join('node_modules', 'vitest', 'vitest.mjs'), 'run', `--maxWorkers=${jobs}`, ...files], { stdio: 'inherit', env: { ...process.env, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${port}` } });
const code = await new Promise((resolve) => vitest.on('close', (status) => resolve(status ?? 1)));
stop();
if (code !== 0) {
  console.error(`\ntest:official failed (Vitest names the failing files above). The official emulator's log: ${logPath}; its last lines:\n${logTail()}`);
  process.exit(1);
}
fs.rmSync(logPath, { force: true });
process.exit(0);
