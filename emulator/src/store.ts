// One Firestore database (project + database id): versioned documents, a sorted index per
// collection, and a monotonic commit clock. Everything else reads and writes through here.
import { SortedKeys } from './sorted-keys.js';
import { lastSegment, parentOf, comparePaths } from './paths.js';
import type { Fields } from './values.js';

/** One stored state of a document; `fields === null` records a delete. */
export interface Version {
  fields: Fields | null;
  createTime: number; // micros; 0 for a delete marker
  updateTime: number; // micros
}

export interface DocEntry {
  path: string;
  id: string;
  versions: Version[]; // oldest first
}

export interface Collection {
  path: string;
  id: string;
  parent: string;
  entries: SortedKeys<DocEntry>;
}

/** How long superseded versions stay readable for point-in-time reads (Firestore keeps an hour). */
export const VERSION_RETENTION_MICROS = 60 * 60 * 1e6;

export class Database {
  readonly docs = new Map<string, DocEntry>();
  readonly collections = new Map<string, Collection>();
  readonly collectionsById = new Map<string, Set<string>>();
  private lastMicros = 0;
  /** Bumped on every commit; listeners and persistence watch it. */
  generation = 0;

  constructor(readonly root: string) {}

  /** A commit time strictly after every earlier one, in microseconds. */
  nextCommitTime(): number {
    const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.lastMicros = Math.max(now, this.lastMicros + 1);
    return this.lastMicros;
  }

  now(): number {
    return Math.max(Math.floor((performance.timeOrigin + performance.now()) * 1000), this.lastMicros);
  }

  /** The live version of a document at `readTime` (latest when undefined), or undefined. */
  read(path: string, readTime?: number): Version | undefined {
    const entry = this.docs.get(path);
    if (!entry) return undefined;
    const v = versionAt(entry, readTime);
    return v && v.fields ? v : undefined;
  }

  /** The latest version, including a delete marker (for transaction validation). */
  latest(path: string): Version | undefined {
    const entry = this.docs.get(path);
    return entry?.versions[entry.versions.length - 1];
  }

  /** Appends a new version (or a delete marker) of a document. */
  put(path: string, version: Version): void {
    let entry = this.docs.get(path);
    if (!entry) {
      entry = { path, id: lastSegment(path), versions: [] };
      this.docs.set(path, entry);
      this.collectionFor(parentOf(path)).entries.add(entry);
    }
    pruneVersions(entry, version.updateTime);
    entry.versions.push(version);
  }

  collectionFor(path: string): Collection {
    let c = this.collections.get(path);
    if (!c) {
      const id = lastSegment(path);
      c = { path, id, parent: parentOf(path), entries: new SortedKeys<DocEntry>((e) => e.id) };
      this.collections.set(path, c);
      let set = this.collectionsById.get(id);
      if (!set) this.collectionsById.set(id, (set = new Set()));
      set.add(path);
      // Register ancestor collections too, so listing finds a collection that holds only subcollections.
      const owner = parentOf(path);
      if (owner !== '') this.collectionFor(parentOf(owner));
    }
    return c;
  }

  /** Drops delete markers and old versions past retention, so memory follows live data. */
  sweep(nowMicros: number): void {
    const cutoff = nowMicros - VERSION_RETENTION_MICROS;
    for (const [path, entry] of this.docs) {
      const last = entry.versions[entry.versions.length - 1]!;
      if (last.fields === null && last.updateTime < cutoff) {
        this.docs.delete(path);
        this.collections.get(parentOf(path))?.entries.delete(entry.id);
      } else {
        pruneVersions(entry, nowMicros);
      }
    }
  }

  /** Document entries of one collection in id order (deleted ones included; check the version). */
  collectionEntries(collectionPath: string): Iterable<DocEntry> {
    return this.collections.get(collectionPath)?.entries.values() ?? [];
  }

  /** Document paths of one collection in id order. */
  *collectionPaths(collectionPath: string): Generator<string> {
    for (const e of this.collectionEntries(collectionPath)) yield e.path;
  }

  /** Whether any live document exists at or below a collection path. */
  hasLiveDocsUnder(collectionPath: string): boolean {
    for (const p of this.collectionPaths(collectionPath)) if (this.read(p)) return true;
    const prefix = collectionPath + '/';
    for (const c of this.collections.values()) {
      if (c.path.startsWith(prefix)) for (const p of this.collectionPaths(c.path)) if (this.read(p)) return true;
    }
    return false;
  }

  /** Every document path below `parent` (any depth), in document-name order. */
  allDescendants(parent: string): DocEntry[] {
    const prefix = parent === '' ? '' : parent + '/';
    const out: DocEntry[] = [];
    for (const c of this.collections.values()) {
      if (prefix === '' || c.path.startsWith(prefix)) for (const e of this.collectionEntries(c.path)) out.push(e);
    }
    return out.sort((a, b) => comparePaths(a.path, b.path));
  }

  clear(): void {
    this.docs.clear();
    this.collections.clear();
    this.collectionsById.clear();
    this.generation++;
  }
}

export function versionAt(entry: DocEntry, readTime?: number): Version | undefined {
  const vs = entry.versions;
  if (readTime === undefined) return vs[vs.length - 1];
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.updateTime <= readTime) return vs[i];
  return undefined;
}

function pruneVersions(entry: DocEntry, nowMicros: number): void {
  const vs = entry.versions;
  if (vs.length < 2) return;
  const cutoff = nowMicros - VERSION_RETENTION_MICROS;
  // Keep the newest version older than the cutoff: it is what a read at the cutoff sees.
  let drop = 0;
  while (drop < vs.length - 1 && vs[drop + 1]!.updateTime <= cutoff) drop++;
  if (drop > 0) vs.splice(0, drop);
}
