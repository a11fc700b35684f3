// Cold starts: each function's bundle started the way Cloud Run starts it (functions-framework
// loading the bundle in a fresh Node process), timed from spawn to the answer of its first real
// request, next to a bundle of functions-framework alone and one that adds the Firestore client
// and a single document read (the floor for any function that touches Firestore).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctions, type BuiltFunction } from '../build.js';
import { BenchClient, percentile, sleep } from './client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FRAMEWORK = path.join(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js');

export interface FirstRequest { method: string; path: string; body?: unknown; cookie?: string; expect: number }
export interface ColdStart { name: string; bytes: number; medianMs: number; runs: number[] }

async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
}

async function timeOneStart(fn: BuiltFunction, first: FirstRequest, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [FRAMEWORK, `--target=${fn.name}`, `--source=${fn.dir}`, `--port=${port}`], { env: { ...process.env, ...env, PORT: String(port), RECKON_SITE_ORIGIN: `http://127.0.0.1:${port}` }, stdio: 'ignore' });
  try {
    const client = new BenchClient(`http://127.0.0.1:${port}`);
    client.cookie = first.cookie;
    for (;;) {
      try {
        const res = await client.request(first.method, first.path, first.body);
        if (res.status !== first.expect) throw new Error(`${fn.name}: first request answered ${res.status} ${res.text}`);
        return performance.now() - started;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw e;
        await sleep(2);
      }
      if (performance.now() - started > 30_000) throw new Error(`${fn.name} did not start in 30 s`);
    }
  } finally {
    child.kill('SIGKILL');
  }
}

/** Builds the bundles into .bench/ (inside the repo, so their runtime packages resolve) and times `runs` starts of each. */
export async function measureColdStarts(firstRequests: Record<string, FirstRequest>, env: Record<string, string>, runs = 5): Promise<ColdStart[]> {
  const outRoot = path.join(ROOT, '.bench/functions');
  fs.mkdirSync(outRoot, { recursive: true });
  const floors = ['bare', 'firestore'];
  const names = Object.keys(firstRequests).filter((n) => !floors.includes(n));
  const built = await buildFunctions(outRoot, [
    { name: 'bare', entry: path.join(ROOT, 'scripts/bench/bare-function.ts') },
    { name: 'firestore', entry: path.join(ROOT, 'scripts/bench/firestore-function.ts') },
    ...names.map((n) => ({ name: n, entry: path.join(ROOT, 'functions', n, 'index.ts') })),
  ], { confine: false });
  const out: ColdStart[] = [];
  for (const fn of built) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeOneStart(fn, firstRequests[fn.name]!, env));
    out.push({ name: fn.name, bytes: fn.bytes, medianMs: percentile(times, 50), runs: times });
  }
  return out;
}
