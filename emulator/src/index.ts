/**
 * Reckon's embedded Firestore emulator: google.firestore.v1 over gRPC and over REST on one port,
 * as the official emulator serves both, so the official clients reach it through
 * FIRESTORE_EMULATOR_HOST with either transport. See emulator/README.md for what it covers.
 */
import http from 'node:http';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { Engine, type Metrics } from './engine.js';
import { createGrpcServer } from './server.js';
import { createRestListener } from './rest.js';
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
  const grpcConnections = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const rest = http.createServer({ keepAliveTimeout: 60_000 }, createRestListener(engine));
  // Every accepted socket, so that stop() can end them: the REST server never listens itself, so
  // Node does not track its connections, and a socket not yet routed belongs to no server.
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    routeConnection(socket, grpcConnections, rest);
  });
  const port = await new Promise<number>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, host, () => resolve((listener.address() as net.AddressInfo).port));
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
      listener.close();
      for (const socket of sockets) socket.destroy();
      grpcConnections.destroy();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      server.forceShutdown();
    },
  };
}

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/** How long a new connection may stay silent before it is dropped (it belongs to no server yet). */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

/**
 * Hands a connection to gRPC when it opens with the HTTP/2 preface, else to the REST server. A
 * first chunk too short to tell ("P" could begin "PRI" or "POST") waits for more.
 */
function routeConnection(socket: net.Socket, grpcConnections: grpc.ConnectionInjector, rest: http.Server): void {
  socket.on('error', () => socket.destroy());
  // Small frames go out at once; Nagle's algorithm against the peer's delayed ACK costs 40 ms a call.
  socket.setNoDelay(true);
  socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
  let seen = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const prefix = seen.subarray(0, HTTP2_PREFACE.length);
    const maybeHttp2 = HTTP2_PREFACE.subarray(0, prefix.length).equals(prefix);
    if (maybeHttp2 && seen.length < 4) return; // "PRI " against "POST", "PUT ", "PATCH"
    socket.off('data', onData);
    socket.pause();
    socket.setTimeout(0);
    // Both servers take the socket itself, with the bytes read to choose put back: Node's HTTP/2
    // session and HTTP/1.1 parser both read a socket's buffered bytes first. (Wrapping it in a JS
    // stream for gRPC instead ran every frame through JSStreamSocket: more ticks per call, a
    // longer tail under load; docs/performance.md.) The socket stays paused with no 'data' listener
    // until then: a flowing socket would drop the unshifted bytes before HTTP/2 drains them.
    socket.unshift(seen);
    if (maybeHttp2) {
      grpcConnections.injectConnection(socket);
    } else {
      rest.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
}
