/**
 * Reckon's embedded Firestore emulator: a google.firestore.v1 gRPC server that the official
 * clients reach through FIRESTORE_EMULATOR_HOST. See emulator/README.md for what it covers.
 */
import * as grpc from '@grpc/grpc-js';
import { Engine, type Metrics } from './engine.js';
import { createGrpcServer } from './server.js';
import { saveTo, loadFrom } from './persistence.js';

export interface EmulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Folder to persist to; omitted means in memory only. */
  dataDir?: string;
  /** How often to save while running when data changed (ms). */
  saveIntervalMs?: number;
}

export interface RunningEmulator {
  /** `host:port`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  port: number;
  /** Forgets all documents, or one project's. */
  reset(projectId?: string): void;
  /** What clients asked for since the last call (RPCs by method, billed reads and writes). */
  takeMetrics(): Metrics;
  /** Saves now (when persisting). */
  save(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const engine = new Engine();
  const host = options.host ?? '127.0.0.1';
  const { dataDir } = options;
  if (dataDir) loadFrom(engine, dataDir);
  const server = createGrpcServer(engine);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });

  let savedGeneration = -1;
  const generation = () => engine.allDatabases().reduce((n, db) => n + db.generation, 0);
  const save = () => {
    if (!dataDir) return;
    const g = generation();
    if (g === savedGeneration) return;
    saveTo(engine, dataDir);
    savedGeneration = g;
  };
  const sweeper = setInterval(() => {
    for (const db of engine.allDatabases()) db.sweep(db.now());
    save();
  }, options.saveIntervalMs ?? 5000);
  sweeper.unref();
  // Whatever ends the process (process.exit, a fatal error), the last writes reach the disk:
  // saving is synchronous, so it can run in the 'exit' event.
  const saveOnExit = () => { try { save(); } catch { /* the process is ending; nothing to tell */ } };
  if (dataDir) process.on('exit', saveOnExit);

  return {
    host: `${host}:${port}`,
    port,
    reset: (projectId) => engine.reset(projectId),
    takeMetrics: () => engine.resetMetrics(),
    save,
    async stop() {
      clearInterval(sweeper);
      process.off('exit', saveOnExit);
      save();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    },
  };
}
