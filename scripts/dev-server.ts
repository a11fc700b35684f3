// `npm start`: builds the site, starts the embedded Firestore emulator (data kept in
// .reckon-data/), and serves every function behind firebase.json's rewrites plus the site on one
// port. FIRESTORE_EMULATOR_HOST, if set, points it at another emulator instead; RECKON_DATA_DIR
// moves the data. No error ends the process: a failed request is logged and answered, and the
// emulator saves on every way out (signals, process.exit).
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../emulator/src/index.js';
import { configure } from '../shared/config/config.js';
import { buildWeb } from './build.js';
import { answerParserErrors, createGateway } from './local-gateway.js';
import { runJiraSync } from '../shared/jobs/jira-sync.js';
import { runInsightsBackfill } from '../shared/jobs/insights-backfill.js';
import { log } from '../shared/http/log.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 8080);
const siteOrigin = process.env.RECKON_SITE_ORIGIN ?? `http://localhost:${port}`;

// A developer's server outlives any one bad request or stray callback: log and carry on.
const report = (kind: string) => (e: unknown) => log('ERROR', kind, { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), stack: e instanceof Error ? e.stack : undefined });
process.on('uncaughtException', report('uncaught exception'));
process.on('unhandledRejection', report('unhandled rejection'));

await buildWeb();
const dataDir = process.env.RECKON_DATA_DIR ?? path.join(ROOT, '.reckon-data', 'firestore');
let emulator: RunningEmulator | undefined;
if (!process.env.FIRESTORE_EMULATOR_HOST) {
  emulator = await startEmulator({ dataDir });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
}
process.env.METADATA_SERVER_DETECTION ??= 'none';
process.env.NODE_ENV ??= 'production'; // as on Cloud Functions: Express error pages carry no stack traces
configure({ ...process.env, RECKON_SITE_ORIGIN: siteOrigin });

const gateway = await createGateway();
/** Local stand-in for Cloud Scheduler (`npm run job:jira-sync`, `curl -X POST …/__dev/jobs/insights-backfill`); the dev server only, never deployed. */
async function runLocalJob(res: http.ServerResponse, job: 'jira-sync' | 'insights-backfill'): Promise<void> {
  const report = job === 'jira-sync' ? await runJiraSync(Date.now()) : await runInsightsBackfill(Date.now());
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ report }));
}
const server = http.createServer((req, res) => {
  const local = req.socket.remoteAddress === '127.0.0.1' || req.socket.remoteAddress === '::1' || req.socket.remoteAddress === '::ffff:127.0.0.1';
  const job = req.url === '/__dev/jobs/jira-sync' ? 'jira-sync' : req.url === '/__dev/jobs/insights-backfill' ? 'insights-backfill' : undefined;
  if (req.method === 'POST' && job && local) { void runLocalJob(res, job).catch((e) => { res.writeHead(500); res.end(String(e)); }); return; }
  gateway(req, res);
});
answerParserErrors(server);
server.on('error', (e) => { report('server error')(e); void stop(1); });
server.listen(port, () => {
  console.log(`Reckon is running at ${siteOrigin}`);
  console.log(`Firestore: ${emulator ? `embedded emulator at ${emulator.host}, data in ${path.relative(ROOT, dataDir)}` : `emulator at ${process.env.FIRESTORE_EMULATOR_HOST}`}. Ctrl-C stops.`);
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator?.stop();
  console.log('Reckon stopped; data saved.');
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());
