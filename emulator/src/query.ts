// Evaluates a google.firestore.v1.StructuredQuery over one database: selection, filters,
// explicit and implicit ordering, cursors, offset, limit and projection.
import { InvalidArgument, parseFieldPath, formatFieldPath, comparePaths, joinPath, splitResourceName } from './paths.js';
import { type Value, type Fields, getField, compareValues, queryEquals, typeOrder, isNaNValue, kindOf, projectFields } from './values.js';
import { versionAt, type Database, type DocEntry, type Version } from './store.js';

export interface FieldRef { fieldPath?: string }
export interface Filter {
  compositeFilter?: { op?: string; filters?: Filter[] };
  fieldFilter?: { field?: FieldRef; op?: string; value?: Value };
  unaryFilter?: { op?: string; field?: FieldRef };
}
export interface Order { field?: FieldRef; direction?: string }
export interface Cursor { values?: Value[]; before?: boolean }
export interface StructuredQuery {
  select?: { fields?: FieldRef[] };
  from?: { collectionId?: string; allDescendants?: boolean }[];
  where?: Filter;
  orderBy?: Order[];
  startAt?: Cursor;
  endAt?: Cursor;
  offset?: number;
  limit?: { value?: number } | number;
  findNearest?: unknown;
}

export interface QueryResult { path: string; version: Version; fields: Fields }

const NAME = '__name__';

interface CompiledOrder { segs: string[] | null; desc: boolean; key: string }
type Predicate = (fields: Fields, nameValue: () => Value) => boolean;

/** A reference value for a document path of this database. */
export function referenceTo(db: Database, path: string): Value {
  return { referenceValue: `${db.root}/documents/${path}`, valueType: 'referenceValue' };
}

function fieldOf(ref: FieldRef | undefined): string[] | null {
  const p = ref?.fieldPath;
  if (!p) throw new InvalidArgument('filter or order without a field');
  return p === NAME ? null : parseFieldPath(p);
}

function lookup(segs: string[] | null, fields: Fields, nameValue: () => Value): Value | undefined {
  return segs === null ? nameValue() : getField(fields, segs);
}

function compileFilter(f: Filter, inequalities: Map<string, string[] | null>): Predicate {
  if (f.compositeFilter) {
    const parts = (f.compositeFilter.filters ?? []).map((x) => compileFilter(x, inequalities));
    if (parts.length === 0) return () => true;
    return f.compositeFilter.op === 'OR'
      ? (d, n) => parts.some((p) => p(d, n))
      : (d, n) => parts.every((p) => p(d, n));
  }
  if (f.unaryFilter) {
    const segs = fieldOf(f.unaryFilter.field);
    const op = f.unaryFilter.op;
    if (op === 'IS_NOT_NAN' || op === 'IS_NOT_NULL') inequalities.set(f.unaryFilter.field!.fieldPath!, segs);
    return (d, n) => {
      const v = lookup(segs, d, n);
      if (v === undefined) return false;
      switch (op) {
        case 'IS_NAN': return isNaNValue(v);
        case 'IS_NULL': return kindOf(v) === 'nullValue';
        case 'IS_NOT_NAN': return !isNaNValue(v) && kindOf(v) !== 'nullValue';
        case 'IS_NOT_NULL': return kindOf(v) !== 'nullValue';
        default: throw new InvalidArgument(`unknown unary operator ${op}`);
      }
    };
  }
  if (f.fieldFilter) return compileFieldFilter(f.fieldFilter, inequalities);
  throw new InvalidArgument('empty filter');
}

function listOf(v: Value | undefined, op: string): Value[] {
  if (!v || kindOf(v) !== 'arrayValue') throw new InvalidArgument(`${op} needs an array value`);
  const values = v.arrayValue?.values ?? [];
  if (values.length === 0) throw new InvalidArgument(`${op} needs a non-empty array`);
  if (values.length > 30) throw new InvalidArgument(`'${op.replace(/_/g, '-')}' supports up to 30 comparison values.`);
  return values;
}

function compileFieldFilter(f: NonNullable<Filter['fieldFilter']>, inequalities: Map<string, string[] | null>): Predicate {
  const segs = fieldOf(f.field);
  const op = f.op ?? '';
  const target = f.value;
  if (!target) throw new InvalidArgument('field filter without a value');
  const get = (d: Fields, n: () => Value) => lookup(segs, d, n);
  const range = (test: (c: number) => boolean): Predicate => {
    inequalities.set(f.field!.fieldPath!, segs);
    const t = typeOrder(target);
    return (d, n) => {
      const v = get(d, n);
      if (v === undefined || typeOrder(v) !== t || isNaNValue(v) || isNaNValue(target)) return false;
      return test(compareValues(v, target));
    };
  };
  switch (op) {
    case 'LESS_THAN': return range((c) => c < 0);
    case 'LESS_THAN_OR_EQUAL': return range((c) => c <= 0);
    case 'GREATER_THAN': return range((c) => c > 0);
    case 'GREATER_THAN_OR_EQUAL': return range((c) => c >= 0);
    case 'EQUAL': return (d, n) => { const v = get(d, n); return v !== undefined && queryEquals(v, target); };
    case 'NOT_EQUAL':
      inequalities.set(f.field!.fieldPath!, segs);
      return (d, n) => { const v = get(d, n); return v !== undefined && kindOf(v) !== 'nullValue' && !queryEquals(v, target); };
    case 'ARRAY_CONTAINS':
      return (d, n) => { const v = get(d, n); return v !== undefined && kindOf(v) === 'arrayValue' && (v.arrayValue?.values ?? []).some((e) => queryEquals(e, target)); };
    case 'IN': {
      // A null in the list matches nothing (null is only found by EQUAL / IS_NULL).
      const list = listOf(target, 'IN').filter((x) => kindOf(x) !== 'nullValue');
      return (d, n) => { const v = get(d, n); return v !== undefined && list.some((x) => queryEquals(v, x)); };
    }
    case 'ARRAY_CONTAINS_ANY': {
      const list = listOf(target, 'ARRAY_CONTAINS_ANY');
      return (d, n) => {
        const v = get(d, n);
        return v !== undefined && kindOf(v) === 'arrayValue' && (v.arrayValue?.values ?? []).some((e) => list.some((x) => queryEquals(e, x)));
      };
    }
    case 'NOT_IN': {
      const list = listOf(target, 'NOT_IN');
      inequalities.set(f.field!.fieldPath!, segs);
      // NOT_IN with null in the list matches no document.
      if (list.some((x) => kindOf(x) === 'nullValue')) return () => false;
      return (d, n) => { const v = get(d, n); return v !== undefined && kindOf(v) !== 'nullValue' && !list.some((x) => queryEquals(v, x)); };
    }
    default: throw new InvalidArgument(`unknown operator ${op}`);
  }
}

/** Explicit orders, then inequality fields (lexicographically), then the document name. */
function compileOrders(q: StructuredQuery, inequalities: Map<string, string[] | null>): CompiledOrder[] {
  const orders: CompiledOrder[] = (q.orderBy ?? []).map((o) => ({
    segs: fieldOf(o.field),
    desc: o.direction === 'DESCENDING',
    key: o.field!.fieldPath === NAME ? NAME : formatFieldPath(parseFieldPath(o.field!.fieldPath!)),
  }));
  const seen = new Set(orders.map((o) => o.key));
  const lastDesc = orders.length > 0 ? orders[orders.length - 1]!.desc : false;
  const extra = [...inequalities.entries()]
    .map(([p, segs]) => ({ key: p === NAME ? NAME : formatFieldPath(segs!), segs }))
    .filter((o) => !seen.has(o.key) && o.key !== NAME)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const o of extra) { orders.push({ segs: o.segs, desc: lastDesc, key: o.key }); seen.add(o.key); }
  if (!seen.has(NAME)) orders.push({ segs: null, desc: lastDesc, key: NAME });
  return orders;
}

function limitOf(q: StructuredQuery): number | undefined {
  const l = q.limit;
  if (l === undefined || l === null) return undefined;
  const n = typeof l === 'number' ? l : l.value;
  if (n === undefined) return undefined;
  if (n < 0) throw new InvalidArgument('limit must be non-negative');
  return n;
}

function cursorCompare(keys: Value[], cursor: Value[], orders: CompiledOrder[]): number {
  for (let i = 0; i < cursor.length && i < orders.length; i++) {
    const c = compareValues(keys[i]!, cursor[i]!);
    if (c !== 0) return orders[i]!.desc ? -c : c;
  }
  return 0;
}

/** Normalises cursor values on __name__ that are given as a bare document id. */
function normaliseCursor(cursor: Cursor | undefined, orders: CompiledOrder[], db: Database, parent: string, collectionId: string): Value[] | undefined {
  if (!cursor) return undefined;
  const values = cursor.values ?? [];
  if (values.length > orders.length) throw new InvalidArgument('too many cursor values for the query order');
  return values.map((v, i) => {
    if (orders[i]!.segs === null && kindOf(v) === 'stringValue') return referenceTo(db, joinPath(joinPath(parent, collectionId), v.stringValue!));
    if (orders[i]!.segs === null && kindOf(v) !== 'referenceValue') throw new InvalidArgument('a cursor on __name__ needs a reference value');
    return v;
  });
}

/** Documents the query draws from, in document-name order. */
function candidates(db: Database, parent: string, from: NonNullable<StructuredQuery['from']>[number]): Iterable<DocEntry> {
  const id = from.collectionId ?? '';
  if (!from.allDescendants) {
    if (!id) throw new InvalidArgument('a query needs a collection id');
    return db.collectionEntries(joinPath(parent, id));
  }
  if (!id) return db.allDescendants(parent);
  const prefix = parent === '' ? '' : parent + '/';
  const collections = [...(db.collectionsById.get(id) ?? [])].filter((c) => prefix === '' || c.startsWith(prefix));
  if (collections.length === 1) return db.collectionEntries(collections[0]!);
  const entries: DocEntry[] = [];
  for (const c of collections) for (const e of db.collectionEntries(c)) entries.push(e);
  return entries.sort((a, b) => comparePaths(a.path, b.path));
}

type Row = { path: string; version: Version; keys: Value[] };

/**
 * Keeps the first `k` rows in query order as they stream in (O(n log k)), so `orderBy(..).limit(k)`
 * does not sort the whole collection.
 */
class TopRows {
  readonly rows: Row[] = [];
  constructor(private readonly k: number, private readonly cmp: (a: Row, b: Row) => number) {}
  offer(row: Row): void {
    const rows = this.rows;
    if (rows.length >= this.k && this.cmp(row, rows[rows.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.cmp(rows[mid]!, row) <= 0) lo = mid + 1; else hi = mid; }
    rows.splice(lo, 0, row);
    if (rows.length > this.k) rows.pop();
  }
}

/** Runs a structured query below `parent` (a relative document path, '' for the root). */
export function runQuery(db: Database, parent: string, q: StructuredQuery, readTime?: number): QueryResult[] {
  if (q.findNearest) throw new InvalidArgument('vector search is not supported by this emulator');
  const from = q.from ?? [];
  if (from.length !== 1) throw new InvalidArgument('a query needs exactly one collection selector');
  const inequalities = new Map<string, string[] | null>();
  const predicate = q.where ? compileFilter(q.where, inequalities) : () => true;
  const orders = compileOrders(q, inequalities);
  const fieldOrders = orders.filter((o) => o.segs !== null);
  const start = normaliseCursor(q.startAt, orders, db, parent, from[0]!.collectionId ?? '');
  const end = normaliseCursor(q.endAt, orders, db, parent, from[0]!.collectionId ?? '');
  const limit = limitOf(q);
  const offset = q.offset ?? 0;
  if (offset < 0) throw new InvalidArgument('offset must be non-negative');
  // With only name ordering ascending and no cursors, the scan order is the result order: stop early.
  const nameOrderOnly = fieldOrders.length === 0 && !orders[0]!.desc && !start && !end;
  const stopAfter = nameOrderOnly && limit !== undefined ? offset + limit : Infinity;

  const order = (a: Row, b: Row) => {
    for (let i = 0; i < orders.length; i++) {
      const c = compareValues(a.keys[i]!, b.keys[i]!);
      if (c !== 0) return orders[i]!.desc ? -c : c;
    }
    return 0;
  };
  const top = limit !== undefined && !nameOrderOnly ? new TopRows(offset + limit, order) : undefined;
  const matches: Row[] = [];
  for (const entry of candidates(db, parent, from[0]!)) {
    const version = versionAt(entry, readTime);
    if (!version?.fields) continue;
    const fields = version.fields;
    const path = entry.path;
    let nameValue: Value | undefined;
    const name = () => (nameValue ??= referenceTo(db, path));
    if (!predicate(fields, name)) continue;
    const keys: Value[] = [];
    let complete = true;
    for (const o of orders) {
      const v = lookup(o.segs, fields, name);
      if (v === undefined) { complete = false; break; }
      keys.push(v);
    }
    if (!complete) continue;
    if (start) { const c = cursorCompare(keys, start, orders); if (q.startAt!.before ? c < 0 : c <= 0) continue; }
    if (end) { const c = cursorCompare(keys, end, orders); if (q.endAt!.before ? c >= 0 : c > 0) continue; }
    const row = { path, version, keys };
    if (top) top.offer(row); else matches.push(row);
    if (matches.length >= stopAfter) break;
  }
  let rows = top ? top.rows : matches;
  if (!top && !nameOrderOnly) rows.sort(order);
  rows = rows.slice(offset, limit === undefined ? undefined : offset + limit);
  const projection = q.select?.fields;
  const paths = projection?.filter((f) => f.fieldPath !== NAME).map((f) => parseFieldPath(f.fieldPath!));
  return rows.map((m) => ({ path: m.path, version: m.version, fields: paths ? projectFields(m.version.fields!, paths) : m.version.fields! }));
}

/** The relative parent path of a query's `parent` resource name, checked against the database. */
export function queryParent(parent: string, dbRoot: string): string {
  const { db, rel } = splitResourceName(parent);
  if (db.root !== dbRoot) throw new InvalidArgument(`parent ${parent} is not in database ${dbRoot}`);
  if (rel !== '' && rel.split('/').length % 2 !== 0) throw new InvalidArgument(`query parent must be a document: ${parent}`);
  return rel;
}
