// Per-request facts that code deep in the stack records without passing them around:
// the Firestore reads and writes a request caused (for the request's log line).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestCounters { reads: number; writes: number }

const storage = new AsyncLocalStorage<RequestCounters>();

export function runWithCounters<T>(counters: RequestCounters, fn: () => T): T {
  return storage.run(counters, fn);
}

/** Records Firestore documents read and written by the current request. */
export function countFirestore(reads: number, writes = 0): void {
  const c = storage.getStore();
  if (c) { c.reads += reads; c.writes += writes; }
}
