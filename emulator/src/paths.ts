// Resource names and field paths as Firestore spells them.
import { compareStrings } from './strings.js';

export interface DatabaseName {
  projectId: string;
  databaseId: string;
  /** `projects/{p}/databases/{d}` */
  root: string;
}

const DB_RE = /^projects\/([^/]+)\/databases\/([^/]+)$/;

export class InvalidArgument extends Error {}

/** Parses `projects/p/databases/d`. */
export function parseDatabaseName(name: string): DatabaseName {
  const m = DB_RE.exec(name);
  if (!m) throw new InvalidArgument(`invalid database name: ${name}`);
  return { projectId: m[1]!, databaseId: m[2]!, root: name };
}

/**
 * Splits a full resource name (`projects/p/databases/d/documents/a/b`) into its database and the
 * relative path below `documents` ('' for the root).
 */
export function splitResourceName(name: string): { db: DatabaseName; rel: string } {
  const marker = '/documents';
  const i = name.indexOf(marker);
  if (i < 0) throw new InvalidArgument(`invalid resource name: ${name}`);
  const db = parseDatabaseName(name.slice(0, i));
  const rest = name.slice(i + marker.length);
  if (rest === '') return { db, rel: '' };
  if (rest[0] !== '/') throw new InvalidArgument(`invalid resource name: ${name}`);
  const rel = rest.slice(1);
  validateRelativePath(rel, name);
  return { db, rel };
}

function validateRelativePath(rel: string, full: string): void {
  const segs = rel.split('/');
  for (const s of segs) {
    if (s === '' || s === '.' || s === '..') throw new InvalidArgument(`invalid resource name: ${full}`);
    if (s.startsWith('__') && s.endsWith('__') && s.length >= 4 && !/^__id-?\d+__$/.test(s)) {
      throw new InvalidArgument(`Resource id "${s}" is invalid because it is reserved.`);
    }
    if (Buffer.byteLength(s) > 1500) throw new InvalidArgument(`path segment longer than 1500 bytes in ${full}`);
  }
}

/** The relative path of a document, checked to name a document (even number of segments). */
export function documentPath(name: string, dbRoot: string): string {
  const { db, rel } = splitResourceName(name);
  if (db.root !== dbRoot) throw new InvalidArgument(`document ${name} is not in database ${dbRoot}`);
  if (rel === '' || rel.split('/').length % 2 !== 0) throw new InvalidArgument(`not a document name: ${name}`);
  return rel;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}/${child}`;
}

/** Orders document paths segment by segment, as Firestore orders document names. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const as = a.split('/');
  const bs = b.split('/');
  const n = Math.min(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(as[i]!, bs[i]!);
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

/** Parses a field path (`a.b`, `` `a.b`.c ``) into its segments. */
export function parseFieldPath(path: string): string[] {
  if (path === '') throw new InvalidArgument('empty field path');
  const segs: string[] = [];
  let i = 0;
  while (i <= path.length) {
    if (path[i] === '`') {
      let seg = '';
      i++;
      while (i < path.length && path[i] !== '`') {
        if (path[i] === '\\' && i + 1 < path.length) i++;
        seg += path[i];
        i++;
      }
      if (path[i] !== '`') throw new InvalidArgument(`unterminated backtick in field path ${path}`);
      i++;
      segs.push(seg);
    } else {
      let j = path.indexOf('.', i);
      if (j < 0) j = path.length;
      const seg = path.slice(i, j);
      if (seg === '') throw new InvalidArgument(`invalid field path ${path}`);
      segs.push(seg);
      i = j;
    }
    if (i === path.length) break;
    if (path[i] !== '.') throw new InvalidArgument(`invalid field path ${path}`);
    i++;
  }
  return segs;
}

/** Formats segments back into a canonical field path. */
export function formatFieldPath(segs: readonly string[]): string {
  return segs.map((s) => (/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(s) ? s : '`' + s.replace(/[\\`]/g, (c) => '\\' + c) + '`')).join('.');
}
