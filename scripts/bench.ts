// `npm run bench [-- --sessions 100 --participants 10 --interval-s 2 --duration-s 30]`
// Runs the embedded emulator (on a worker thread) and every function in this one process and measures what polls and
// votes cost, counted at the emulator (not by our code): Firestore reads per poll (304 and 200),
// writes per vote, latencies against a bare Firestore get/set, the poll under load, and each
// bundle's size and cold start next to a bare functions-framework bundle. Prints one table.
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Firestore } from '@google-cloud/firestore';
import { startEmulatorThread } from './bench/emulator-thread.js';
import type { Metrics } from '../emulator/src/engine.js';
import { configure } from '../shared/config/config.js';
import { createGateway } from './local-gateway.js';
import { BenchClient, percentile, sleep } from './bench/client.js';
import { newOwner, newRoom, newMemberRoom, runLoad } from './bench/rooms.js';
import { measureColdStarts, type ColdStart } from './bench/cold-start.js';
import { measureInsightsReads } from './bench/insights.js';

const { values: args } = parseArgs({ options: {
  sessions: { type: 'string', default: '100' }, participants: { type: 'string', default: '10' },
  'interval-s': { type: 'string', default: '2' }, 'duration-s': { type: 'string', default: '30' }, 'cold-runs': { type: 'string', default: '5' },
  /** Cold starts of `sessions` and `votes` beside the Firestore floors only (no other levers): more rounds in the same time. */
  'cold-focus': { type: 'boolean', default: false },
  /** `idle`: only the idle room with the cache (guests, then members), about 5 minutes less; `load`: only the poll under load (with its idle reference); `insights`: only the insights page's reads; `cold`: only the cold starts. */
  only: { type: 'string' },
} });
const S = Number(args.sessions), P = Number(args.participants), T = Number(args['interval-s']) * 1000, D = Number(args['duration-s']) * 1000;

process.env.METADATA_SERVER_DETECTION = 'none';
// tsx maps every stack trace through source maps; deployed functions run without them, and the
// Firestore client captures a stack on every call, so leave them off while measuring.
process.setSourceMapsEnabled(false);
const emulator = await startEmulatorThread();
process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
const projectId = `bench-${Date.now().toString(36)}`;
const gateway = await createGateway();
/** Server-side latency by kind of request, to tell the server's share from the clients'. */
const serverMs = { poll: [] as number[], vote: [] as number[] };
const server = http.createServer((req, res) => {
  const t = performance.now();
  const kind = req.url?.includes('/state') ? 'poll' : req.method === 'PUT' ? 'vote' : undefined;
  if (kind) res.on('finish', () => serverMs[kind].push(performance.now() - t));
  gateway(req, res);
});
// Participants keep their connections between polls, as browsers do.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// Google's front end holds the connections in production; give the stand-in a backlog to match.
await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const env = (pollCacheMs: number) => configure({ ...process.env, GOOGLE_CLOUD_PROJECT: projectId, RECKON_SITE_ORIGIN: url, RECKON_ACCESS_TOKEN_TTL_S: '3600', RECKON_LOG_LEVEL: 'silent', RECKON_RATE_LIMITS: 'off', RECKON_POLL_CACHE_MS: String(pollCacheMs) });
const log = (m: string) => process.stderr.write(`${m}\n`);
const rpcs = (m: Metrics) => Object.entries(m.rpcs).map(([k, v]) => `${k} ${v}`).join(', ');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

// Access tokens last an hour (the cold starts reuse the owner's for 15–20 minutes).
// ---- 1. What one request costs, measured one request at a time (no poll cache).
env(0);
log('setting up rooms…');
const owner = await newOwner(url, 0);
if (args.only === 'idle') await idleOnly();
if (args.only === 'load') await loadOnly();
if (args.only === 'insights') await insightsOnly();
const quiet = await newRoom(url, owner, P, false);
if (args.only === 'cold') {
  const cold = await coldStarts();
  process.stdout.write(`${coldTable(cold).join('\n')}\n`);
  await emulator.stop();
  process.exit(0);
}
const automatic = await newRoom(url, owner, P, true);
const etags = new Map<BenchClient, string>();
for (const g of quiet.guests) etags.set(g, (await g.request('GET', `/api/sessions/${quiet.sessionId}/state`)).headers.etag as string);
const cost = { poll304: [] as Metrics[], poll200: [] as Metrics[], vote: [] as Metrics[], voteAuto: [] as Metrics[] };
const voteMs: number[] = [];
await emulator.takeMetrics();
for (let n = 0; n < 100; n++) {
  const g = quiet.guests[n % P]!;
  const res = await g.request('GET', `/api/sessions/${quiet.sessionId}/state`, undefined, { 'if-none-match': etags.get(g)! });
  (res.status === 304 ? cost.poll304 : cost.poll200).push(await emulator.takeMetrics());
  const v = await g.request('PUT', `/api/votes/${quiet.sessionId}`, { issueId: quiet.issueId, round: quiet.round, value: Math.floor(n / P) % 2 ? '3' : '5' });
  if (v.status !== 200) throw new Error(`vote → ${v.status}`);
  voteMs.push(v.ms);
  cost.vote.push(await emulator.takeMetrics());
  const after = await g.request('GET', `/api/sessions/${quiet.sessionId}/state`, undefined, { 'if-none-match': etags.get(g)! });
  (after.status === 304 ? cost.poll304 : cost.poll200).push(await emulator.takeMetrics());
  etags.set(g, (after.headers.etag as string) ?? etags.get(g)!);
  // An unchanged room: poll again with the fresh ETag.
  const again = await g.request('GET', `/api/sessions/${quiet.sessionId}/state`, undefined, { 'if-none-match': etags.get(g)! });
  (again.status === 304 ? cost.poll304 : cost.poll200).push(await emulator.takeMetrics());
}
for (let n = 0; n < P - 1; n++) { // auto-reveal on, not the last card: the two counts run too
  await automatic.guests[n]!.request('PUT', `/api/votes/${automatic.sessionId}`, { issueId: automatic.issueId, round: automatic.round, value: '8' });
  cost.voteAuto.push(await emulator.takeMetrics());
}

// ---- 2. The baseline: a bare get and set through the same emulator with the official client.
const db = new Firestore({ projectId });
const ref = db.collection('baseline').doc('one');
const getMs: number[] = [], setMs: number[] = [], voteWorkMs: number[] = [];
// The Firestore work of a cast on its own, with the same client: the transaction that reads the
// session and the vote (the participant read beside it) and writes the vote.
const session = db.collection('baseline').doc('session'), participant = db.collection('baseline').doc('participant');
await session.set({ round: 1 });
await participant.set({ role: 'voter' });
for (let i = 0; i < 300; i++) {
  let t = performance.now(); await ref.set({ n: i, at: new Date() }); setMs.push(performance.now() - t);
  t = performance.now(); await ref.get(); getMs.push(performance.now() - t);
  t = performance.now();
  await db.runTransaction(async (tx) => {
    const [[s]] = await Promise.all([tx.getAll(session, ref), participant.get()]);
    tx.set(ref, { n: i, round: s!.get('round') });
  });
  voteWorkMs.push(performance.now() - t);
}
await db.terminate();

// ---- 3. An idle room polled by P participants every T, with and without the cache.
async function idleRun(pollCacheMs: number, seconds: number, members = false) {
  env(pollCacheMs);
  const room = members ? await newMemberRoom(url, owner, P, projectId) : await newRoom(url, owner, P, false);
  // Steady state: every participant has the room already (first polls are 200s).
  for (const g of room.guests) await g.request('GET', `/api/sessions/${room.sessionId}/state`);
  await sleep(1100);
  await emulator.takeMetrics();
  const { polls } = await runLoad(url, [room], T, seconds * 1000, 0);
  const m = await emulator.takeMetrics();
  return { samples: polls, readsPerPoll: m.documentReads / polls.length, writesPerPoll: m.documentWrites / polls.length };
}
log('idle room without the cache…');
const idleNoCache = await idleRun(0, 30);
log('idle room with the cache…');
// One whole presence period (two minutes), so the amortised reads include exactly one presence
// refresh and the idle p99 rests on 600 polls rather than 300.
const idle = await idleRun(1000, 120);

log('idle room of members with the cache…');
const idleMembers = await idleRun(1000, 120, true);

/** `--only idle`: the idle room with the cache, guests and members, then exit. */
async function idleOnly(): Promise<never> {
  for (const members of [false, true]) {
    log(`idle room (${members ? 'members' : 'guests'}) with the cache…`);
    const r = await idleRun(1000, 120, members);
    process.stdout.write(`idle room, 1 s cache, ${members ? 'members' : 'guests'} (${P} × ${T / 1000} s, ${r.samples.length} polls): reads per poll ${r.readsPerPoll.toFixed(3)} (≤ 0.2), writes per poll ${r.writesPerPoll.toFixed(3)}\n`);
  }
  await emulator.stop();
  process.exit(0);
}

/** `--only load`: the idle reference and the load, with the server's CPU per request, then exit. */
async function loadOnly(): Promise<never> {
  log('idle room with the cache…');
  const idleRef = await idleRun(1000, 60);
  log(`load: ${S} sessions × ${P} participants…`);
  const r = await measureLoad();
  const idleP99 = percentile(idleRef.samples.map((s) => s.ms), 99);
  const loadMs = r.load.polls.map((s) => s.ms);
  process.stdout.write(`poll idle p50/p99 ${percentile(idleRef.samples.map((s) => s.ms), 50).toFixed(1)}/${idleP99.toFixed(1)} ms; under load p50/p95/p99 ${[50, 95, 99].map((q) => percentile(loadMs, q).toFixed(1)).join('/')} ms (${loadMs.length} polls, ${r.load.votes.length} votes); ratio ${(percentile(loadMs, 99) / idleP99).toFixed(2)}; server CPU ${r.cpuMsPerRequest.toFixed(3)} ms per request (Reckon's thread ${r.reckonCpuMsPerRequest.toFixed(3)}); loop p99 ${r.loopP99.toFixed(1)} ms; server poll p50/p99 ${percentile(serverMs.poll, 50).toFixed(1)}/${percentile(serverMs.poll, 99).toFixed(1)} ms, vote p50/p99 ${percentile(serverMs.vote, 50).toFixed(1)}/${percentile(serverMs.vote, 99).toFixed(1)} ms\n`);
  await emulator.stop();
  process.exit(0);
}

/** `--only insights` (issue #19): reads of the insights page at 100 and at 10,000 finalized issues, then exit. */
async function insightsOnly(): Promise<never> {
  log('insights: seeding histories and running the backfill…');
  for (const r of await measureInsightsReads(url, projectId, () => emulator.takeMetrics())) {
    process.stdout.write(`insights page, ${String(r.issues).padStart(6)} finalized issues: reads ${r.reads} (target the same at both, ≤ 10) ${r.reads <= 10 ? 'met' : 'MISSED'}, median ${r.ms.toFixed(1)} ms\n`);
  }
  await emulator.stop();
  process.exit(0);
}

async function measureLoad() {
  env(1000);
  const rooms = [];
  for (let i = 0; i < S; i += 10) rooms.push(...await Promise.all(Array.from({ length: Math.min(10, S - i) }, () => newRoom(url, owner, P, false))));
  await emulator.takeMetrics();
  serverMs.poll.length = 0;
  serverMs.vote.length = 0;
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const thread0 = process.threadCpuUsage();
  const load = await runLoad(url, rooms, T, D, 3000);
  const cpu = process.cpuUsage(cpu0);
  const thread = process.threadCpuUsage(thread0);
  loopDelay.disable();
  // The emulator runs on a worker thread of this process, so its CPU is in here too.
  const requests = Math.max(1, load.polls.length + load.votes.length);
  const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / requests;
  // The functions' own share: the main thread, where Reckon runs (the emulator's thread excluded).
  const reckonCpuMsPerRequest = (thread.user + thread.system) / 1000 / requests;
  return { load, loopDelay, cpuMsPerRequest, reckonCpuMsPerRequest, loopP99: loopDelay.percentile(99) / 1e6 };
}

// ---- 4. Load: S sessions × P participants polling every T while a voter per room changes a card every 3 s.
log(`load: ${S} sessions × ${P} participants…`);
const { load, loopDelay } = await measureLoad();
log(`server event-loop delay under load: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
const loadSamples = load.polls;
const loadVoteMs = load.votes;
const loadMetrics = await emulator.takeMetrics();
log(`RPCs under load: ${rpcs(loadMetrics)}`);
const loadServerPollMs = [...serverMs.poll];
const loadServerVoteMs = [...serverMs.vote];

// ---- 4b. The insights page (issue #19): reads at 100 and at 10,000 finalized issues.
log('insights page…');
const insightReads = await measureInsightsReads(url, projectId, () => emulator.takeMetrics());

// ---- 5. Cold starts.
async function coldStarts() {
  log('cold starts…');
  const mate = quiet.guests[0]!;
  const coldEnv = { GOOGLE_CLOUD_PROJECT: projectId, FIRESTORE_EMULATOR_HOST: emulator.host, RECKON_LOG_LEVEL: 'silent', RECKON_RATE_LIMITS: 'off', METADATA_SERVER_DETECTION: 'none' };
  const focus = args['cold-focus'];
  return measureColdStarts({
    ...(focus ? {} : { auth: { method: 'GET', path: '/api/auth/me', cookie: owner.cookie, expect: 200 } }),
    sessions: { method: 'GET', path: `/api/sessions/${quiet.sessionId}/state`, cookie: mate.cookie, expect: 200 },
    votes: { method: 'PUT', path: `/api/votes/${quiet.sessionId}`, body: { issueId: quiet.issueId, round: quiet.round, value: '8' }, cookie: mate.cookie, expect: 200 },
  }, coldEnv, Number(args['cold-runs']), focus);
}

/** A ratio of medians with its bootstrap 90% interval (resampling both sets of runs). */
function ratioWithInterval(a: number[], b: number[]): string {
  const median = (xs: number[]) => percentile(xs, 50);
  const resample = (xs: number[]) => xs.map(() => xs[Math.floor(Math.random() * xs.length)]!);
  const ratios = Array.from({ length: 2000 }, () => median(resample(a)) / median(resample(b))).sort((x, y) => x - y);
  return `${(median(a) / median(b)).toFixed(2)} (${ratios[100]!.toFixed(2)}–${ratios[1899]!.toFixed(2)})`;
}

/**
 * Each variant's medians (wall time to the first answer, and the CPU time spent by then) against
 * the bare bundle, the floor of its transport and first request's work, and the lowest floor (one
 * document read over REST); CPU ratios with their 90% intervals.
 */
function coldTable(cold: ColdStart[]): string[] {
  const by = new Map(cold.map((c) => [c.label, c]));
  const bare = by.get('bare')!;
  const lowest = by.get('firestore (REST)')!;
  const x = (a: number, b: number, w: number) => (a / b).toFixed(2).padStart(w);
  const out = [`${'cold start, first request answered'.padEnd(40)}${'KiB'.padStart(7)}${'wall ms'.padStart(9)}${'× bare'.padStart(8)}${'CPU ms'.padStart(8)}${'× bare'.padStart(8)}  ${'CPU × floor (90%)'.padEnd(19)}${'CPU × lowest (90%)'.padEnd(20)}floor`];
  for (const c of cold) {
    const floor = by.get(c.floor)!;
    out.push(`${c.label.padEnd(40)}${(c.bytes / 1024).toFixed(1).padStart(7)}${c.medianMs.toFixed(0).padStart(9)}${x(c.medianMs, bare.medianMs, 8)}${c.medianCpuMs.toFixed(0).padStart(8)}${x(c.medianCpuMs, bare.medianCpuMs, 8)}  ${ratioWithInterval(c.cpuRuns, floor.cpuRuns).padEnd(19)}${ratioWithInterval(c.cpuRuns, lowest.cpuRuns).padEnd(20)}${c.floor}`);
  }
  out.push(`(${cold[0]!.runs.length} rounds, variants interleaved in random order each round; medians; "lowest" is one document read over REST)`);
  return out;
}

const cold = await coldStarts();
server.close();
await emulator.stop();

// ---- The table.
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const lat = (xs: number[]) => [50, 95, 99].map((p) => f(percentile(xs, p), 1).padStart(7)).join('');
const ok = (b: boolean) => (b ? 'met' : 'MISSED');
const idleMs = idle.samples.map((s) => s.ms), loadMs = loadSamples.map((s) => s.ms);
const votePerWrite = mean(cost.vote.map((m) => m.documentWrites));
const ratioVote = percentile(voteMs, 50) / percentile(setMs, 50);
const ratioLoad = percentile(loadMs, 99) / percentile(idleMs, 99);
const rows: string[] = [];
const row = (a: string, b: string, c = '', d = '') => rows.push(`${a.padEnd(52)}${b.padStart(12)}  ${c.padEnd(14)}${d}`);
rows.push(`Reckon benchmark · ${new Date().toISOString().slice(0, 16)}Z · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`);
rows.push(`load: ${S} sessions × ${P} participants, polls every ${T / 1000} s for ${D / 1000} s; counts from the emulator`);
rows.push('');
row('measure', 'value', 'target', 'verdict');
row('poll, unchanged room (304): reads per poll, no cache', f(mean(cost.poll304.map((m) => m.documentReads))), '≤ 1', ok(mean(cost.poll304.map((m) => m.documentReads)) <= 1));
row('  its RPCs (typical)', rpcs(cost.poll304[0]!));
row('poll, changed room (200): reads per poll, no cache', f(mean(cost.poll200.map((m) => m.documentReads))));
row('idle room, no cache: reads per poll incl. presence', f(idleNoCache.readsPerPoll), '(info)');
row('idle room, 1 s cache: reads per poll, amortised', f(idle.readsPerPoll, 3), '≤ 0.2', ok(idle.readsPerPoll <= 0.2));
row('idle room of members, 1 s cache: reads per poll', f(idleMembers.readsPerPoll, 3), '≤ 0.2', ok(idleMembers.readsPerPoll <= 0.2));
row('idle room, 1 s cache: writes per poll (presence)', f(idle.writesPerPoll, 3), '≤ 1/min each');
row('vote: document writes per cast', f(votePerWrite), '= 1', ok(votePerWrite === 1));
row('  its RPCs', rpcs(cost.vote[0]!));
row('vote with auto-reveal (not the last card): writes', f(mean(cost.voteAuto.map((m) => m.documentWrites))), '= 1', ok(mean(cost.voteAuto.map((m) => m.documentWrites)) === 1));
row('  its RPCs', rpcs(cost.voteAuto[0]!));
row(`under load: reads per poll (${loadSamples.length} polls)`, f(loadMetrics.documentReads / loadSamples.length, 3));
for (const r of insightReads) row(`insights page, ${r.issues} finalized issues: reads`, String(r.reads), '≤ 10, same', ok(r.reads <= 10 && r.reads === insightReads[0]!.reads));
rows.push('');
rows.push(`${'latency, ms'.padEnd(52)}${'p50'.padStart(7)}${'p95'.padStart(7)}${'p99'.padStart(7)}`);
rows.push(`${'bare Firestore get (official client)'.padEnd(52)}${lat(getMs)}`);
rows.push(`${'bare Firestore set (official client)'.padEnd(52)}${lat(setMs)}`);
rows.push(`${'a cast\'s Firestore work alone (official client)'.padEnd(52)}${lat(voteWorkMs)}`);
rows.push(`${`poll, idle room (${P} × ${T / 1000} s, cache on)`.padEnd(52)}${lat(idleMs)}`);
rows.push(`${'vote, one at a time (HTTP + function + Firestore)'.padEnd(52)}${lat(voteMs)}`);
rows.push(`${`poll under load (${S} × ${P})`.padEnd(52)}${lat(loadMs)}`);
rows.push(`${'vote under load'.padEnd(52)}${lat(loadVoteMs)}`);
rows.push(`${'  of which in Reckon\'s process: poll'.padEnd(52)}${lat(loadServerPollMs)}`);
rows.push(`${'  of which in Reckon\'s process: vote'.padEnd(52)}${lat(loadServerVoteMs)}`);
row('vote p50 / bare set p50', f(ratioVote), '≤ 1.5', ok(ratioVote <= 1.5));
row('vote p50 / its Firestore work alone p50', f(percentile(voteMs, 50) / percentile(voteWorkMs, 50)), '(info)');
row(`poll p99 under load / idle p99`, f(ratioLoad), '≤ 3', ok(ratioLoad <= 3));
rows.push('');
rows.push(...coldTable(cold));
console.log(rows.join('\n'));
process.exit(0);
