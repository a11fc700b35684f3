// Transactions with optimistic concurrency: a read-write transaction records what it read (each
// document's version, each query's result) and its commit is aborted if any of it changed since.
// That gives serializable outcomes, like Firestore's pessimistic locks, without blocking writers.
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { RpcError } from './writes.js';
import type { StructuredQuery } from './query.js';

export interface QueryRead { parent: string; query: StructuredQuery; signature: string }

export interface Transaction {
  id: Buffer;
  db: string;
  readOnly: boolean;
  /** For read-only transactions: the snapshot every read sees (micros). */
  readTime?: number;
  /** Document path -> update time seen (0 when the document did not exist). */
  reads: Map<string, number>;
  queries: QueryRead[];
  lastUsed: number;
}

/** Firestore expires idle transactions; so does the emulator. */
const IDLE_LIMIT_MS = 270_000;

export class TransactionRegistry {
  private readonly open = new Map<string, Transaction>();

  begin(db: string, readOnly: boolean, readTime?: number): Transaction {
    this.expire();
    const tx: Transaction = { id: randomBytes(16), db, readOnly, readTime, reads: new Map(), queries: [], lastUsed: Date.now() };
    this.open.set(tx.id.toString('hex'), tx);
    return tx;
  }

  /** The open transaction with this id in this database, or an error as Firestore gives it. */
  get(id: Uint8Array, db: string): Transaction {
    const tx = this.open.get(Buffer.from(id).toString('hex'));
    if (!tx || tx.db !== db) throw new RpcError(status.INVALID_ARGUMENT, 'The referenced transaction has expired or is no longer valid.');
    tx.lastUsed = Date.now();
    return tx;
  }

  end(id: Uint8Array): void {
    this.open.delete(Buffer.from(id).toString('hex'));
  }

  clear(db?: string): void {
    for (const [k, tx] of this.open) if (db === undefined || tx.db === db) this.open.delete(k);
  }

  private expire(): void {
    const cutoff = Date.now() - IDLE_LIMIT_MS;
    for (const [k, tx] of this.open) if (tx.lastUsed < cutoff) this.open.delete(k);
  }
}

export function contention(): RpcError {
  return new RpcError(status.ABORTED, 'Aborted due to cross-transaction contention. This occurs when multiple transactions attempt to access the same data, requiring Firestore to abort at least one in order to enforce serializability.');
}
