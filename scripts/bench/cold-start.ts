// Cold starts: each function's bundle started the way Cloud Run starts it (functions-framework
// loading the bundle in a fresh Node process), timed from spawn to the answer of its first real
// request, next to floors: functions-framework alone (`bare`), plus the Firestore client and one
// document read (`firestore`, per transport), plus the Firestore calls a first poll or a cast makes
// (per transport), plus zod or zod/mini. Each lever is a variant of the
// same bundle; the variants run interleaved, in a new random order each round, so that a busy
// machine slows them alike (docs/performance.md, "Cold start").
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions, type BuiltFunction } from '../build.js';
import { DEPLOY, type FunctionName } from '../../deploy/settings.js';
import { BenchClient, percentile, sleep } from './client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FRAMEWORK = path.join(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');
const OUT = path.join(ROOT, '.bench/functions');

export interface FirstRequest { method: string; path: string; body?: unknown; cookie?: string; expect: number }
export interface ColdStart {
  label: string; bytes: number; medianMs: number; runs: number[];
  /** CPU time the process had used when its first answer arrived (all its threads): what a busy machine inflates least. */
  medianCpuMs: number;
  cpuRuns: number[];
  /** The floor it is compared with: the one for its transport and the Firestore work of its first request. */ floor: string;
}
interface Subject { label: string; fn: BuiltFunction; first: FirstRequest; env: Record<string, string>; floor: string }

async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
}

/** Starts the function and resolves with the time its first request took to answer, and the child (still running). */
async function startOnce(s: Subject, env: Record<string, string>): Promise<{ ms: number; child: ChildProcess }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [FRAMEWORK, `--target=${s.fn.name}`, `--source=${s.fn.dir}`, `--port=${port}`], { env: { ...process.env, ...env, ...s.env, PORT: String(port), RECKON_SITE_ORIGIN: `http://127.0.0.1:${port}` }, stdio: 'ignore' });
  const client = new BenchClient(`http://127.0.0.1:${port}`);
  client.cookie = s.first.cookie;
  for (;;) {
    try {
      const res = await client.request(s.first.method, s.first.path, s.first.body);
      if (res.status !== s.first.expect) { child.kill('SIGKILL'); throw new Error(`${s.label}: first request answered ${res.status} ${res.text}`); }
      return { ms: performance.now() - started, child };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') { child.kill('SIGKILL'); throw e; }
      await sleep(2);
    }
    if (performance.now() - started > 30_000) { child.kill('SIGKILL'); throw new Error(`${s.label} did not start in 30 s`); }
  }
}

/** CPU time of a process so far, summed over its threads (Linux schedstat, in ns). */
function cpuMsOf(pid: number): number {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  return tasks.reduce((sum, t) => { try { return sum + Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6; } catch { return sum; } }, 0);
}

async function timeOneStart(s: Subject, env: Record<string, string>): Promise<{ ms: number; cpuMs: number }> {
  const { ms, child } = await startOnce(s, env);
  const cpuMs = cpuMsOf(child.pid!);
  child.kill('SIGKILL');
  return { ms, cpuMs };
}

/** Fills a subject's compile cache (Node writes it when the process exits, so this one ends by SIGTERM). */
async function primeCompileCache(s: Subject, env: Record<string, string>): Promise<void> {
  const { child } = await startOnce(s, env);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  child.kill('SIGKILL');
  const dir = s.env.NODE_COMPILE_CACHE!;
  if (!fs.existsSync(dir) || fs.readdirSync(dir, { recursive: true }).length === 0) throw new Error(`${s.label}: no compile cache was written to ${dir}`);
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j]!, a[i]!]; }
  return a;
}

const fnEntry = (n: string) => ({ name: n, entry: path.join(ROOT, 'functions', n, 'index.ts') });
const floorEntry = (n: string, file: string) => ({ name: n, entry: path.join(ROOT, 'scripts/bench', file) });

/**
 * Builds every variant into .bench/ (inside the repo, so their runtime packages resolve), then
 * times `runs` rounds; each round starts every subject once, in random order.
 */
export async function measureColdStarts(functions: Record<string, FirstRequest>, env: Record<string, string>, runs = 5, focus = false): Promise<ColdStart[]> {
  fs.rmSync(OUT, { recursive: true, force: true });
  const names = Object.keys(functions);
  const opts = { confine: false };
  const min = await buildFunctions(path.join(OUT, 'min'), [
    floorEntry('bare', 'bare-function.ts'), floorEntry('firestore', 'firestore-function.ts'), floorEntry('firestoreRest', 'firestore-rest-function.ts'),
    floorEntry('pollFloor', 'poll-floor-function.ts'), floorEntry('voteFloor', 'vote-floor-function.ts'),
    floorEntry('zod', 'zod-function.ts'), floorEntry('zodMini', 'zod-mini-function.ts'), ...names.map(fnEntry)], opts);
  const plain = await buildFunctions(path.join(OUT, 'plain'), names.map(fnEntry), { ...opts, minify: false });
  // As before the change: the password hashing module loaded at start, not on first use.
  const eager = names.includes('auth') ? await buildFunctions(path.join(OUT, 'eager-argon2'), [fnEntry('auth')], { ...opts, banner: "import '@node-rs/argon2';" }) : [];
  const by = (list: BuiltFunction[], n: string) => list.find((f) => f.name === n)!;
  const ok = { method: 'GET', path: '/', expect: 200 };
  const cache = (label: string) => ({ NODE_COMPILE_CACHE: path.join(OUT, 'compile-cache', label.replace(/\W+/g, '-')) });
  const TRANSPORT = { grpc: 'gRPC', rest: 'REST' } as const;
  const subjects: Subject[] = [
    { label: 'bare', fn: by(min, 'bare'), first: ok, env: {}, floor: 'bare' },
    { label: 'bare, compile cache', fn: by(min, 'bare'), first: ok, env: cache('bare'), floor: 'bare' },
    { label: 'firestore (gRPC)', fn: by(min, 'firestore'), first: ok, env: {}, floor: 'firestore (gRPC)' },
    { label: 'firestore (REST)', fn: by(min, 'firestoreRest'), first: ok, env: {}, floor: 'firestore (REST)' },
    { label: 'firestore (gRPC), compile cache', fn: by(min, 'firestore'), first: ok, env: cache('firestore'), floor: 'firestore (gRPC), compile cache' },
    { label: 'firestore (REST), compile cache', fn: by(min, 'firestoreRest'), first: ok, env: cache('firestoreRest'), floor: 'firestore (REST), compile cache' },
    ...(['grpc', 'rest'] as const).flatMap((t) => [
      { label: `poll's calls (${TRANSPORT[t]})`, fn: by(min, 'pollFloor'), first: ok, env: { BENCH_FIRESTORE_TRANSPORT: t }, floor: `poll's calls (${TRANSPORT[t]})` },
      { label: `cast's calls (${TRANSPORT[t]})`, fn: by(min, 'voteFloor'), first: ok, env: { BENCH_FIRESTORE_TRANSPORT: t }, floor: `cast's calls (${TRANSPORT[t]})` },
    ]),
    { label: 'bare + zod', fn: by(min, 'zod'), first: ok, env: {}, floor: 'bare' },
    { label: 'bare + zod/mini', fn: by(min, 'zodMini'), first: ok, env: {}, floor: 'bare' },
  ];
  for (const n of names) {
    // As deployed: the function's Firestore transport from deploy/settings.ts (REST then gRPC
    // answers its first request over REST); each other transport as a variant. Each is compared
    // with the floor of its transport for the Firestore work of its first request.
    const deployed = DEPLOY.functions[n as FunctionName].firestoreTransport;
    const firstOver = (t: typeof deployed) => (t === 'grpc' ? 'grpc' : 'rest');
    const as = (t: typeof deployed) => ({ RECKON_FIRESTORE_TRANSPORT: t });
    const work = n === 'sessions' ? "poll's calls" : n === 'votes' ? "cast's calls" : 'firestore';
    const floor = (t: typeof deployed) => `${work} (${TRANSPORT[firstOver(t)]})`;
    const NAMES = { grpc: 'gRPC', rest: 'REST', 'rest-then-grpc': 'REST then gRPC' } as const;
    subjects.push({ label: `${n}, not minified`, fn: by(plain, n), first: functions[n]!, env: as(deployed), floor: floor(deployed) });
    if (n === 'auth') subjects.push({ label: `${n}, argon2 at start (before)`, fn: by(eager, n), first: functions[n]!, env: as(deployed), floor: floor(deployed) });
    for (const other of (['grpc', 'rest'] as const).filter((t) => t !== deployed)) subjects.push({ label: `${n}, over ${TRANSPORT[other]}`, fn: by(min, n), first: functions[n]!, env: as(other), floor: floor(other) });
    subjects.push({ label: `${n} (as deployed, ${NAMES[deployed]})`, fn: by(min, n), first: functions[n]!, env: as(deployed), floor: floor(deployed) });
    subjects.push({ label: `${n}, compile cache`, fn: by(min, n), first: functions[n]!, env: { ...as(deployed), ...cache(n) }, floor: `firestore (${TRANSPORT[firstOver(deployed)]}), compile cache` });
  }
  // Focused: the Firestore floors and each function over each transport, nothing else.
  if (focus) subjects.splice(0, subjects.length, ...subjects.filter((s) => s.label === 'bare' || (/^(firestore|poll's|cast's)/.test(s.label) && !s.label.includes('cache')) || /, over |as deployed/.test(s.label)));
  for (const s of subjects) if (s.env.NODE_COMPILE_CACHE) await primeCompileCache(s, env);
  const times = new Map<string, { ms: number; cpuMs: number }[]>(subjects.map((s) => [s.label, []]));
  for (let r = 0; r < runs; r++) {
    for (const s of shuffle(subjects)) times.get(s.label)!.push(await timeOneStart(s, env));
    process.stderr.write(`  cold starts: round ${r + 1} of ${runs}\n`);
  }
  return subjects.map((s) => {
    const t = times.get(s.label)!;
    return { label: s.label, bytes: s.fn.bytes, medianMs: percentile(t.map((x) => x.ms), 50), medianCpuMs: percentile(t.map((x) => x.cpuMs), 50), runs: t.map((x) => x.ms), cpuRuns: t.map((x) => x.cpuMs), floor: s.floor };
  });
}
