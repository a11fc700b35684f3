// `npm run bench:emulator [-- --docs 100000 --queries 1000 --budget-s 600]`
// Loads small documents and runs a mix of queries through the official client, against the
// embedded emulator or, when FIRESTORE_EMULATOR_HOST is set, against that emulator instead.
// Prints load rate, point-read and per-query-shape latencies, and how many answers were wrong.
import { parseArgs } from 'node:util';
import { Firestore, type Query } from '@google-cloud/firestore';
import { startEmulator } from '../emulator/src/index.js';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '100000' }, queries: { type: 'string', default: '1000' }, 'budget-s': { type: 'string', default: '600' } } });
const DOCS = Number(values.docs);
const QUERIES = Number(values.queries);
const budgetEnd = Date.now() + Number(values['budget-s']) * 1000;

process.env.METADATA_SERVER_DETECTION = 'none';
const external = process.env.FIRESTORE_EMULATOR_HOST;
const emulator = external ? undefined : await startEmulator();
if (emulator) process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
const db = new Firestore({ projectId: `bench-${Date.now().toString(36)}` });
const items = db.collection('items');

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN; };
const fmt = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(0));

// ---- load
const doc = (i: number) => ({ n: i, group: i % 100, tag: `tag${i % 10}`, score: ((i * 7919) % 100_003) / 100_003 });
const t0 = performance.now();
let loaded = 0;
let loadError: string | undefined;
const BATCH = 500;
const CONCURRENCY = 4;
async function loader(worker: number) {
  for (let start = worker * BATCH; start < DOCS && Date.now() < budgetEnd; start += BATCH * CONCURRENCY) {
    const batch = db.batch();
    for (let i = start; i < Math.min(DOCS, start + BATCH); i++) batch.set(items.doc(`item${String(i).padStart(6, '0')}`), doc(i));
    try {
      await batch.commit();
    } catch (e) {
      loadError ??= (e as Error).message.split('\n')[0];
      return;
    }
    loaded += Math.min(DOCS, start + BATCH) - start;
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => loader(w)));
const loadMs = performance.now() - t0;
const fullyLoaded = loaded === DOCS;

// ---- point reads
const readMs: number[] = [];
for (let k = 0; k < 200 && Date.now() < budgetEnd; k++) {
  const t = performance.now();
  await items.doc(`item${String((k * 7919) % loaded).padStart(6, '0')}`).get();
  readMs.push(performance.now() - t);
}

// ---- queries: four shapes, each checked against what the loaded data must return
interface Shape { name: string; make: (k: number) => Query; expect: (k: number) => number }
const shapes: Shape[] = [
  { name: 'where group == k, limit 20', make: (k) => items.where('group', '==', k % 100).limit(20), expect: () => Math.min(20, Math.floor(loaded / 100)) },
  { name: 'where n >= x orderBy n, limit 20', make: (k) => items.where('n', '>=', (k * 97) % loaded).orderBy('n').limit(20), expect: (k) => Math.min(20, loaded - ((k * 97) % loaded)) },
  { name: 'orderBy score desc, limit 10', make: () => items.orderBy('score', 'desc').limit(10), expect: () => Math.min(10, loaded) },
  { name: 'where tag == t and group == g', make: (k) => items.where('tag', '==', `tag${k % 10}`).where('group', '==', k % 10 + 10 * (k % 10)), expect: (k) => countMatching(k) },
];
function countMatching(k: number): number {
  const g = (k % 10) + 10 * (k % 10);
  let n = 0;
  for (let i = g; i < loaded; i += 100) if (i % 10 === k % 10) n++;
  return n;
}
const perShape = shapes.map(() => [] as number[]);
let wrong = 0;
let ran = 0;
const tq = performance.now();
for (let k = 0; k < QUERIES && Date.now() < budgetEnd; k++) {
  const s = k % shapes.length;
  const t = performance.now();
  const snap = await shapes[s]!.make(k).get();
  perShape[s]!.push(performance.now() - t);
  if (snap.size !== shapes[s]!.expect(k)) wrong++;
  ran++;
}
const queryMs = performance.now() - tq;

console.log(`\nFirestore emulator benchmark: ${external ? `external emulator at ${external}` : 'Reckon embedded emulator'}, Node ${process.version}`);
console.log(`| measure | value |\n|---|---|`);
console.log(`| documents loaded | ${loaded}${fullyLoaded ? '' : ` of ${DOCS} (${loadError ? `stopped: ${loadError}` : 'time budget reached'})`} |`);
console.log(`| load time | ${(loadMs / 1000).toFixed(1)} s (${fmt(loaded / (loadMs / 1000))} docs/s) |`);
console.log(`| point read p50 / p95 | ${fmt(pct(readMs, 50))} / ${fmt(pct(readMs, 95))} ms |`);
shapes.forEach((s, i) => console.log(`| query "${s.name}" p50 / p95 | ${fmt(pct(perShape[i]!, 50))} / ${fmt(pct(perShape[i]!, 95))} ms (${perShape[i]!.length} runs) |`));
console.log(`| ${ran} queries total | ${(queryMs / 1000).toFixed(1)} s |`);
console.log(`| wrong answers | ${wrong} of ${ran} |`);
await db.terminate();
await emulator?.stop();
process.exit(0);
