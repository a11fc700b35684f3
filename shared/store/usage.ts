// Counts the Firestore documents a piece of work read and wrote (a request's log line shows them),
// observed on the client itself (firestore.ts) rather than by hand after each call.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface FirestoreUsage { reads: number; writes: number }

const storage = new AsyncLocalStorage<FirestoreUsage>();

/** Runs `fn`, adding every Firestore read and write it causes to `usage`. */
export function countFirestoreUsage<T>(usage: FirestoreUsage, fn: () => T): T {
  return storage.run(usage, fn);
}

export const currentUsage = (): FirestoreUsage | undefined => storage.getStore();

type Unary = (method: string, request: { writes?: unknown[] }, ...rest: unknown[]) => Promise<{ writeResults?: unknown[]; status?: { code?: number }[] }>;
type Streaming = (method: string, bidi: boolean, request: unknown, ...rest: unknown[]) => Promise<NodeJS.ReadableStream>;

/**
 * Observes one client's RPCs (the Firestore client funnels every call through `request` and
 * `requestStream`). Billing as Firestore does: a document returned or looked up is a read, a
 * query that finds nothing still one, an aggregation one; each write of a commit is a write.
 */
export function observeUsage(db: object): void {
  const client = db as { request: Unary; requestStream: Streaming };
  const request = client.request.bind(db);
  const requestStream = client.requestStream.bind(db);
  client.request = async (method, req, ...rest) => {
    const usage = currentUsage();
    const res = await request(method, req, ...rest);
    if (usage && method === 'commit') usage.writes += res.writeResults?.length ?? req.writes?.length ?? 0;
    if (usage && method === 'batchWrite') usage.writes += (res.status ?? []).filter((s) => !s.code).length;
    return res;
  };
  client.requestStream = async (method, bidi, req, ...rest) => {
    const usage = currentUsage();
    const stream = await requestStream(method, bidi, req, ...rest);
    if (usage) countStream(stream, method, usage);
    return stream;
  };
}

/** Counts a stream's results as they pass, without changing its flow (no listener is added). */
function countStream(stream: NodeJS.ReadableStream, method: string, usage: FirestoreUsage): void {
  let documents = 0;
  const emit = stream.emit.bind(stream);
  stream.emit = (event: string | symbol, ...args: unknown[]) => {
    if (event === 'data') {
      const chunk = args[0] as { found?: unknown; missing?: unknown; document?: unknown; result?: unknown };
      if (chunk.found || chunk.missing || chunk.document || chunk.result) documents++;
    } else if (event === 'end') {
      usage.reads += method === 'runAggregationQuery' ? 1 : method === 'runQuery' ? Math.max(1, documents) : documents;
    }
    return emit(event, ...args);
  };
}
