// The benchmark's emulator, on a worker thread of the benchmark's process: Firestore is a service
// of its own in production, so its work should not share the functions' event loop (nor their
// garbage collector) while the functions are measured. Counts are asked for by message.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import type { Metrics } from '../../emulator/src/engine.js';

type Request = { id: number; op: 'metrics' | 'stop' };
type Reply = { id: number; metrics?: Metrics };

export interface EmulatorThread { host: string; takeMetrics(): Promise<Metrics>; stop(): Promise<void> }

export async function startEmulatorThread(): Promise<EmulatorThread> {
  // Run under the same loader as this process (tsx), so the thread can load TypeScript.
  const worker = new Worker(new URL(import.meta.url), { execArgv: process.execArgv });
  const host = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { host: string }) => resolve(m.host));
    worker.once('error', reject);
  });
  let next = 0;
  const waiting = new Map<number, (r: Reply) => void>();
  worker.on('message', (r: Reply) => { waiting.get(r.id)?.(r); waiting.delete(r.id); });
  const ask = (op: Request['op']) => new Promise<Reply>((resolve) => { const id = next++; waiting.set(id, resolve); worker.postMessage({ id, op } satisfies Request); });
  return {
    host,
    takeMetrics: async () => (await ask('metrics')).metrics!,
    stop: async () => { await ask('stop'); await worker.terminate(); },
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { startEmulator } = await import('../../emulator/src/index.js');
  const emulator = await startEmulator({ port: 0 });
  port.postMessage({ host: emulator.host });
  port.on('message', async (m: Request) => {
    if (m.op === 'metrics') port.postMessage({ id: m.id, metrics: emulator.takeMetrics() } satisfies Reply);
    if (m.op === 'stop') { await emulator.stop(); port.postMessage({ id: m.id } satisfies Reply); }
  });
}
