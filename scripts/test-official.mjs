// `npm run test:official`: runs the whole Vitest suite against Google's official Firestore
// emulator (gcloud + Java), the oracle Reckon's embedded emulator is checked against.
// Where gcloud lacks the emulator it says so and exits 0: there is nothing to compare with.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

function officialEmulatorInstalled() {
  const r = spawnSync('gcloud', ['components', 'list', '--only-local-state', '--format=value(id)'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return false;
  return r.stdout.split('\n').includes('cloud-firestore-emulator') && spawnSync('java', ['-version']).status === 0;
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
  console.log('test:official skipped: the official Firestore emulator is not installed here (needs the Cloud SDK component cloud-firestore-emulator and Java).');
  process.exit(0);
}
const port = await freePort();
const emulator = spawn('gcloud', ['emulators', 'firestore', 'start', `--host-port=127.0.0.1:${port}`, '--quiet'], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
emulator.stderr.on('data', (d) => { log += d; });
const stop = () => { try { process.kill(-emulator.pid, 'SIGTERM'); } catch { /* already gone */ } };
process.on('exit', stop);
if (!(await waitForPort(port, 60_000))) { console.error(`official emulator did not start:\n${log}`); process.exit(1); }
console.log(`official Firestore emulator on 127.0.0.1:${port}; running the suite against it`);
const args = ['vitest', 'run', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, FIRESTORE_EMULATOR_HOST: `127.0.0.1:${port}` } });
stop();
process.exit(run.status ?? 1);
