// The emulator's request handling, independent of gRPC: each method takes a decoded
// google.firestore.v1 request and returns (or emits) decoded responses.
import { EventEmitter } from 'node:events';
import { status } from '@grpc/grpc-js';
import { Database, type Version } from './store.js';
import { parseDatabaseName, splitResourceName, documentPath, parseFieldPath, joinPath, lastSegment, parentOf, comparePaths, InvalidArgument } from './paths.js';
import { type Fields, type Timestamp, microsToTimestamp, timestampToMicros, projectFields } from './values.js';
import { applyWrite, writeTarget, RpcError, type Write } from './writes.js';
import { runQuery, queryParent, type StructuredQuery, type QueryResult } from './query.js';
import { aggregate, type Aggregation } from './aggregate.js';
import { TransactionRegistry, contention, type Transaction } from './transactions.js';

export interface DocumentProto { name: string; fields?: Fields; createTime?: Timestamp; updateTime?: Timestamp }
interface TransactionOptions { readOnly?: { readTime?: Timestamp }; readWrite?: { retryTransaction?: Uint8Array } }
interface ReadSelector { transaction?: Uint8Array; newTransaction?: TransactionOptions; readTime?: Timestamp }
interface ReadContext { readTime?: number; tx?: Transaction; newTxId?: Buffer }

/** Counts of what clients asked for, as Firestore would bill it. */
export interface Metrics { rpcs: Record<string, number>; documentReads: number; documentWrites: number }

export class Engine extends EventEmitter {
  private readonly databases = new Map<string, Database>();
  readonly transactions = new TransactionRegistry();
  metrics: Metrics = { rpcs: {}, documentReads: 0, documentWrites: 0 };

  constructor() { super(); this.setMaxListeners(0); }

  database(root: string): Database {
    let db = this.databases.get(root);
    if (!db) this.databases.set(root, (db = new Database(root)));
    return db;
  }

  allDatabases(): Database[] { return [...this.databases.values()]; }

  /** Forgets every document (of one project when given). */
  reset(projectId?: string): void {
    for (const [root, db] of this.databases) {
      if (projectId === undefined || parseDatabaseName(root).projectId === projectId) {
        db.clear();
        this.transactions.clear(root);
        this.databases.delete(root);
      }
    }
  }

  count(method: string): void { this.metrics.rpcs[method] = (this.metrics.rpcs[method] ?? 0) + 1; }

  resetMetrics(): Metrics {
    const m = this.metrics;
    this.metrics = { rpcs: {}, documentReads: 0, documentWrites: 0 };
    return m;
  }

  toDocument(db: Database, path: string, v: Version, fields: Fields = v.fields!): DocumentProto {
    return { name: `${db.root}/documents/${path}`, fields, createTime: microsToTimestamp(v.createTime), updateTime: microsToTimestamp(v.updateTime) };
  }

  // ------------------------------------------------------------ reads and transactions

  private readContext(db: Database, sel: ReadSelector): ReadContext {
    if (sel.transaction && sel.transaction.length > 0) {
      const tx = this.transactions.get(sel.transaction, db.root);
      return tx.readOnly ? { readTime: tx.readTime, tx } : { tx };
    }
    if (sel.newTransaction) {
      const tx = this.beginWith(db, sel.newTransaction);
      return { readTime: tx.readOnly ? tx.readTime : undefined, tx, newTxId: tx.id };
    }
    if (sel.readTime) return { readTime: this.checkReadTime(db, sel.readTime) };
    return {};
  }

  private checkReadTime(db: Database, t: Timestamp): number {
    const micros = timestampToMicros(t);
    if (micros > db.now() + 1e6 * 60) throw new InvalidArgument('read time is in the future');
    return micros;
  }

  private beginWith(db: Database, options: TransactionOptions): Transaction {
    if (options.readOnly) {
      const readTime = options.readOnly.readTime ? this.checkReadTime(db, options.readOnly.readTime) : db.now();
      return this.transactions.begin(db.root, true, readTime);
    }
    return this.transactions.begin(db.root, false);
  }

  private recordRead(ctx: ReadContext, db: Database, path: string): void {
    if (ctx.tx && !ctx.tx.readOnly && !ctx.tx.reads.has(path)) ctx.tx.reads.set(path, db.read(path)?.updateTime ?? 0);
  }

  beginTransaction(req: { database: string; options?: TransactionOptions }): { transaction: Buffer } {
    const db = this.database(parseDatabaseName(req.database).root);
    return { transaction: this.beginWith(db, req.options ?? {}).id };
  }

  rollback(req: { database: string; transaction: Uint8Array }): Record<string, never> {
    const db = parseDatabaseName(req.database).root;
    this.transactions.get(req.transaction, db);
    this.transactions.end(req.transaction);
    return {};
  }

  getDocument(req: { name: string; mask?: { fieldPaths?: string[] } } & ReadSelector): DocumentProto {
    const { db: dbName } = splitResourceName(req.name);
    const db = this.database(dbName.root);
    const path = documentPath(req.name, db.root);
    const ctx = this.readContext(db, req);
    this.recordRead(ctx, db, path);
    const v = db.read(path, ctx.readTime);
    this.metrics.documentReads++;
    if (!v) throw new RpcError(status.NOT_FOUND, `no document at ${req.name}`);
    return this.toDocument(db, path, v, maskFields(v.fields!, req.mask));
  }

  batchGetDocuments(req: { database: string; documents?: string[]; mask?: { fieldPaths?: string[] } } & ReadSelector, emit: (r: object) => void): void {
    const db = this.database(parseDatabaseName(req.database).root);
    const paths = (req.documents ?? []).map((n) => documentPath(n, db.root));
    const ctx = this.readContext(db, req);
    const readTime = microsToTimestamp(ctx.readTime ?? db.now());
    let first = true;
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      this.recordRead(ctx, db, path);
      const v = db.read(path, ctx.readTime);
      this.metrics.documentReads++;
      const out: Record<string, unknown> = v ? { found: this.toDocument(db, path, v, maskFields(v.fields!, req.mask)) } : { missing: req.documents![i] };
      out.readTime = readTime;
      if (first && ctx.newTxId) out.transaction = ctx.newTxId;
      first = false;
      emit(out);
    }
    if (first && ctx.newTxId) emit({ transaction: ctx.newTxId, readTime });
  }

  private query(db: Database, parent: string, q: StructuredQuery, ctx: ReadContext): QueryResult[] {
    const rows = runQuery(db, parent, q, ctx.readTime);
    if (ctx.tx && !ctx.tx.readOnly) {
      for (const r of rows) this.recordRead(ctx, db, r.path);
      ctx.tx.queries.push({ parent, query: q, signature: signature(rows) });
    }
    return rows;
  }

  runQuery(req: { parent: string; structuredQuery?: StructuredQuery } & ReadSelector, emit: (r: object) => void): void {
    const { db: dbName } = splitResourceName(req.parent);
    const db = this.database(dbName.root);
    const parent = queryParent(req.parent, db.root);
    if (!req.structuredQuery) throw new InvalidArgument('RunQuery needs a structured query');
    const ctx = this.readContext(db, req);
    const rows = this.query(db, parent, req.structuredQuery, ctx);
    this.metrics.documentReads += Math.max(1, rows.length);
    const readTime = microsToTimestamp(ctx.readTime ?? db.now());
    rows.forEach((r, i) => {
      const out: Record<string, unknown> = { document: this.toDocument(db, r.path, r.version, r.fields), readTime };
      if (i === 0 && ctx.newTxId) out.transaction = ctx.newTxId;
      emit(out);
    });
    if (rows.length === 0) emit(ctx.newTxId ? { readTime, transaction: ctx.newTxId } : { readTime });
  }

  runAggregationQuery(req: { parent: string; structuredAggregationQuery?: { structuredQuery?: StructuredQuery; aggregations?: Aggregation[] } } & ReadSelector, emit: (r: object) => void): void {
    const { db: dbName } = splitResourceName(req.parent);
    const db = this.database(dbName.root);
    const parent = queryParent(req.parent, db.root);
    const agg = req.structuredAggregationQuery;
    if (!agg?.structuredQuery) throw new InvalidArgument('RunAggregationQuery needs a structured aggregation query');
    const ctx = this.readContext(db, req);
    const rows = this.query(db, parent, agg.structuredQuery, ctx);
    this.metrics.documentReads += Math.max(1, Math.ceil(rows.length / 1000));
    const out: Record<string, unknown> = {
      result: { aggregateFields: aggregate(rows, agg.aggregations ?? []) },
      readTime: microsToTimestamp(ctx.readTime ?? db.now()),
    };
    if (ctx.newTxId) out.transaction = ctx.newTxId;
    emit(out);
  }

  // ------------------------------------------------------------ writes

  /** Applies writes atomically; throws (changing nothing) if any write fails. */
  private applyAtomically(db: Database, writes: Write[]): { writeResults: object[]; commitTime: Timestamp } {
    const commitTime = db.nextCommitTime();
    const overlay = new Map<string, Version | undefined>();
    const changed = new Map<string, Version>();
    const writeResults = writes.map((w) => {
      const path = documentPath(writeTarget(w), db.root);
      const current = overlay.has(path) ? overlay.get(path) : db.read(path);
      const { next, transformResults } = applyWrite(w, path, current, commitTime);
      if (next) {
        overlay.set(path, next.fields ? next : undefined);
        changed.set(path, next);
      }
      const updateTime = next ? (next.fields ? commitTime : undefined) : current?.updateTime;
      return { updateTime: updateTime === undefined ? undefined : microsToTimestamp(updateTime), transformResults };
    });
    for (const [path, v] of changed) db.put(path, v);
    this.metrics.documentWrites += writes.length;
    if (changed.size > 0) {
      db.generation++;
      this.emit('commit', db, [...changed.keys()]);
    }
    return { writeResults, commitTime: microsToTimestamp(commitTime) };
  }

  commit(req: { database: string; writes?: Write[]; transaction?: Uint8Array }): { writeResults: object[]; commitTime: Timestamp } {
    const db = this.database(parseDatabaseName(req.database).root);
    if (req.transaction && req.transaction.length > 0) {
      const tx = this.transactions.get(req.transaction, db.root);
      this.transactions.end(req.transaction);
      if (tx.readOnly && (req.writes ?? []).length > 0) throw new InvalidArgument('a read-only transaction cannot write');
      if (!tx.readOnly && !stillValid(db, tx)) throw contention();
    }
    return this.applyAtomically(db, req.writes ?? []);
  }

  batchWrite(req: { database: string; writes?: Write[] }): { writeResults: object[]; status: object[] } {
    const db = this.database(parseDatabaseName(req.database).root);
    const writes = req.writes ?? [];
    const targets = writes.map((w) => documentPath(writeTarget(w), db.root));
    if (new Set(targets).size !== targets.length) throw new InvalidArgument('BatchWrite cannot write the same document twice');
    const writeResults: object[] = [];
    const statuses: object[] = [];
    for (const w of writes) {
      try {
        writeResults.push(this.applyAtomically(db, [w]).writeResults[0]!);
        statuses.push({ code: status.OK });
      } catch (e) {
        const err = asRpcError(e);
        writeResults.push({});
        statuses.push({ code: err.code, message: err.message });
      }
    }
    return { writeResults, status: statuses };
  }

  createDocument(req: { parent: string; collectionId: string; documentId?: string; document?: { fields?: Fields }; mask?: { fieldPaths?: string[] } }): DocumentProto {
    const { db: dbName } = splitResourceName(req.parent);
    const db = this.database(dbName.root);
    const parent = queryParent(req.parent, db.root);
    const id = req.documentId || autoId();
    const name = `${db.root}/documents/${joinPath(joinPath(parent, req.collectionId), id)}`;
    this.applyAtomically(db, [{ update: { name, fields: req.document?.fields ?? {} }, currentDocument: { exists: false } }]);
    return this.getDocument({ name, mask: req.mask });
  }

  updateDocument(req: { document: { name: string; fields?: Fields }; updateMask?: { fieldPaths?: string[] }; mask?: { fieldPaths?: string[] }; currentDocument?: Write['currentDocument'] }): DocumentProto {
    const { db: dbName } = splitResourceName(req.document.name);
    const db = this.database(dbName.root);
    this.applyAtomically(db, [{ update: req.document, updateMask: req.updateMask, currentDocument: req.currentDocument }]);
    return this.getDocument({ name: req.document.name, mask: req.mask });
  }

  deleteDocument(req: { name: string; currentDocument?: Write['currentDocument'] }): Record<string, never> {
    const { db: dbName } = splitResourceName(req.name);
    this.applyAtomically(this.database(dbName.root), [{ delete: req.name, currentDocument: req.currentDocument }]);
    return {};
  }

  // ------------------------------------------------------------ listing

  listDocuments(req: { parent: string; collectionId?: string; pageSize?: number; pageToken?: string; showMissing?: boolean; mask?: { fieldPaths?: string[] } } & ReadSelector): { documents: DocumentProto[]; nextPageToken?: string } {
    const { db: dbName } = splitResourceName(req.parent);
    const db = this.database(dbName.root);
    const parent = queryParent(req.parent, db.root);
    const ctx = this.readContext(db, req);
    const collections = req.collectionId ? [joinPath(parent, req.collectionId)] : [...db.collections.keys()].filter((c) => parentOf(c) === parent);
    const rows: { path: string; v?: Version }[] = [];
    for (const c of collections) {
      const ids = new Set<string>();
      for (const p of db.collectionPaths(c)) if (db.read(p, ctx.readTime)) ids.add(lastSegment(p));
      if (req.showMissing) {
        for (const sub of db.collections.keys()) {
          const owner = parentOf(sub);
          if (parentOf(owner) === c && db.hasLiveDocsUnder(sub)) ids.add(lastSegment(owner));
        }
      }
      for (const id of ids) { const path = joinPath(c, id); rows.push({ path, v: db.read(path, ctx.readTime) }); }
    }
    rows.sort((a, b) => comparePaths(a.path, b.path));
    const startAfter = req.pageToken ? Buffer.from(req.pageToken, 'base64url').toString() : undefined;
    const from = startAfter === undefined ? rows : rows.filter((r) => comparePaths(r.path, startAfter) > 0);
    const size = req.pageSize && req.pageSize > 0 ? req.pageSize : 300;
    const page = from.slice(0, size);
    this.metrics.documentReads += Math.max(1, page.length);
    const documents = page.map((r) => (r.v ? this.toDocument(db, r.path, r.v, maskFields(r.v.fields!, req.mask)) : { name: `${db.root}/documents/${r.path}` }));
    const nextPageToken = from.length > size ? Buffer.from(page[page.length - 1]!.path).toString('base64url') : undefined;
    return { documents, nextPageToken };
  }

  listCollectionIds(req: { parent: string; pageSize?: number; pageToken?: string }): { collectionIds: string[]; nextPageToken?: string } {
    const { db: dbName } = splitResourceName(req.parent);
    const db = this.database(dbName.root);
    const parent = queryParent(req.parent, db.root);
    const ids = [...db.collections.values()].filter((c) => c.parent === parent && db.hasLiveDocsUnder(c.path)).map((c) => c.id).sort();
    const from = req.pageToken ? ids.filter((id) => id > req.pageToken!) : ids;
    const size = req.pageSize && req.pageSize > 0 ? req.pageSize : 300;
    const page = from.slice(0, size);
    return { collectionIds: page, nextPageToken: from.length > size ? page[page.length - 1] : undefined };
  }
}

function maskFields(fields: Fields, mask?: { fieldPaths?: string[] }): Fields {
  if (!mask) return fields;
  return projectFields(fields, (mask.fieldPaths ?? []).map(parseFieldPath));
}

function signature(rows: QueryResult[]): string {
  return rows.map((r) => `${r.path}@${r.version.updateTime}`).join('\n');
}

/** Whether nothing a read-write transaction read has changed since it read it. */
function stillValid(db: Database, tx: Transaction): boolean {
  for (const [path, seen] of tx.reads) if ((db.read(path)?.updateTime ?? 0) !== seen) return false;
  return tx.queries.every((q) => signature(runQuery(db, q.parent, q.query)) === q.signature);
}

const AUTO_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function autoId(): string {
  let id = '';
  for (let i = 0; i < 20; i++) id += AUTO_ID_ALPHABET[Math.floor(Math.random() * AUTO_ID_ALPHABET.length)];
  return id;
}

export function asRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof InvalidArgument) return new RpcError(status.INVALID_ARGUMENT, e.message);
  return new RpcError(status.INTERNAL, e instanceof Error ? e.message : String(e));
}
