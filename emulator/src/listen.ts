// The Listen stream: each target is re-evaluated after every commit to its database and the
// differences are sent as document changes, followed by a global consistent snapshot marker.
import type { Engine } from './engine.js';
import type { Database, Version } from './store.js';
import { runQuery, queryParent, type StructuredQuery } from './query.js';
import { documentPath, parseDatabaseName } from './paths.js';
import { microsToTimestamp } from './values.js';

interface Target {
  id: number;
  query?: { parent: string; structuredQuery: StructuredQuery };
  documents?: string[];
  seen: Map<string, number>; // path -> updateTime
}

export interface ListenRequest {
  database?: string;
  addTarget?: { targetId?: number; query?: { parent?: string; structuredQuery?: StructuredQuery }; documents?: { documents?: string[] } };
  removeTarget?: number;
}

/** One client's Listen stream; `send` writes a ListenResponse. */
export class ListenSession {
  private db?: Database;
  private readonly targets = new Map<number, Target>();
  private readonly onCommit = (db: Database) => { if (db === this.db) this.refresh(); };

  constructor(private readonly engine: Engine, private readonly send: (msg: object) => void) {
    engine.on('commit', this.onCommit);
  }

  close(): void { this.engine.off('commit', this.onCommit); }

  handle(req: ListenRequest): void {
    if (req.database) this.db = this.engine.database(parseDatabaseName(req.database).root);
    if (!this.db) return;
    if (req.addTarget) this.add(req.addTarget);
    if (req.removeTarget !== undefined) {
      this.targets.delete(req.removeTarget);
      this.send({ targetChange: { targetChangeType: 'REMOVE', targetIds: [req.removeTarget] } });
    }
  }

  private add(spec: NonNullable<ListenRequest['addTarget']>): void {
    const db = this.db!;
    const id = spec.targetId ?? 0;
    const target: Target = { id, seen: new Map() };
    if (spec.query) target.query = { parent: queryParent(spec.query.parent ?? '', db.root), structuredQuery: spec.query.structuredQuery ?? {} };
    else target.documents = (spec.documents?.documents ?? []).map((n) => documentPath(n, db.root));
    this.targets.set(id, target);
    this.send({ targetChange: { targetChangeType: 'ADD', targetIds: [id] } });
    this.diff(target);
    const readTime = microsToTimestamp(db.now());
    this.send({ targetChange: { targetChangeType: 'CURRENT', targetIds: [id], resumeToken: token(db), readTime } });
    this.send({ targetChange: { targetChangeType: 'NO_CHANGE', targetIds: [], resumeToken: token(db), readTime } });
  }

  private evaluate(target: Target): Map<string, Version> {
    const db = this.db!;
    const out = new Map<string, Version>();
    if (target.query) {
      for (const r of runQuery(db, target.query.parent, target.query.structuredQuery)) out.set(r.path, r.version);
    } else {
      for (const p of target.documents ?? []) { const v = db.read(p); if (v) out.set(p, v); }
    }
    return out;
  }

  /** Sends what changed for one target; returns whether anything did. */
  private diff(target: Target): boolean {
    const db = this.db!;
    const now = this.evaluate(target);
    let changed = false;
    for (const [path, v] of now) {
      if (target.seen.get(path) === v.updateTime) continue;
      changed = true;
      const d = { name: `${db.root}/documents/${path}`, fields: v.fields, createTime: microsToTimestamp(v.createTime), updateTime: microsToTimestamp(v.updateTime) };
      this.send({ documentChange: { document: d, targetIds: [target.id] } });
    }
    for (const path of target.seen.keys()) {
      if (now.has(path)) continue;
      changed = true;
      const name = `${db.root}/documents/${path}`;
      const readTime = microsToTimestamp(db.now());
      if (db.read(path)) this.send({ documentRemove: { document: name, removedTargetIds: [target.id], readTime } });
      else this.send({ documentDelete: { document: name, removedTargetIds: [target.id], readTime } });
    }
    target.seen = new Map([...now].map(([p, v]) => [p, v.updateTime]));
    return changed;
  }

  private refresh(): void {
    let any = false;
    for (const t of this.targets.values()) any = this.diff(t) || any;
    if (any) {
      const db = this.db!;
      this.send({ targetChange: { targetChangeType: 'NO_CHANGE', targetIds: [], resumeToken: token(db), readTime: microsToTimestamp(db.now()) } });
    }
  }
}

function token(db: Database): Buffer {
  return Buffer.from(String(db.generation));
}
