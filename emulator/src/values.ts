// Firestore values as decoded from the wire (proto-loader, oneofs: valueType names the set field).
// Ordering, equality and sizes follow Firestore's documented rules.
import { compareStrings } from './strings.js';
import { comparePaths } from './paths.js';

export interface Timestamp { seconds?: string | number; nanos?: number }
export interface MapValue { fields?: Record<string, Value> }
export interface Value {
  valueType?: string;
  nullValue?: string | number;
  booleanValue?: boolean;
  integerValue?: string | number;
  doubleValue?: number;
  timestampValue?: Timestamp;
  stringValue?: string;
  bytesValue?: Uint8Array;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: Value[] };
  mapValue?: MapValue;
}
export type Fields = Record<string, Value>;

const KINDS = ['nullValue', 'booleanValue', 'integerValue', 'doubleValue', 'timestampValue', 'stringValue', 'bytesValue',
  'referenceValue', 'geoPointValue', 'arrayValue', 'mapValue'] as const;
export type Kind = (typeof KINDS)[number];

/** Which member of the value oneof is set. */
export function kindOf(v: Value): Kind | undefined {
  if (v.valueType) return v.valueType as Kind;
  for (const k of KINDS) if ((v as Record<string, unknown>)[k] !== undefined) return k;
  return undefined;
}

/** Position of a value's type in Firestore's cross-type order. */
export function typeOrder(v: Value): number {
  switch (kindOf(v)) {
    case 'nullValue': return 0;
    case 'booleanValue': return 1;
    case 'integerValue': case 'doubleValue': return 2;
    case 'timestampValue': return 3;
    case 'stringValue': return 4;
    case 'bytesValue': return 5;
    case 'referenceValue': return 6;
    case 'geoPointValue': return 7;
    case 'arrayValue': return 8;
    case 'mapValue': return isVector(v) ? 9 : 10;
    default: return 0;
  }
}

function isVector(v: Value): boolean {
  return v.mapValue?.fields?.__type__?.stringValue === '__vector__';
}

export const nullValue = (): Value => ({ nullValue: 'NULL_VALUE', valueType: 'nullValue' });
export const intValue = (n: bigint | number): Value => ({ integerValue: String(n), valueType: 'integerValue' });
export const doubleValue = (n: number): Value => ({ doubleValue: n, valueType: 'doubleValue' });
export const timestampValue = (micros: number): Value => ({ timestampValue: microsToTimestamp(micros), valueType: 'timestampValue' });
export const arrayValue = (values: Value[]): Value => ({ arrayValue: { values }, valueType: 'arrayValue' });

export function microsToTimestamp(micros: number): Timestamp {
  const seconds = Math.floor(micros / 1e6);
  return { seconds: String(seconds), nanos: (micros - seconds * 1e6) * 1000 };
}

export function timestampToMicros(t: Timestamp): number {
  return Number(t.seconds ?? 0) * 1e6 + Math.floor((t.nanos ?? 0) / 1000);
}

/** The numeric value of an integer or double, as a double. */
export function toNumber(v: Value): number {
  return v.valueType === 'integerValue' || v.integerValue !== undefined ? Number(v.integerValue ?? 0) : (v.doubleValue ?? 0);
}

export function isNaNValue(v: Value): boolean {
  return kindOf(v) === 'doubleValue' && Number.isNaN(v.doubleValue ?? 0);
}

function compareNumbers(a: Value, b: Value): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'integerValue' && kb === 'integerValue') {
    const x = BigInt(a.integerValue ?? 0);
    const y = BigInt(b.integerValue ?? 0);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  // NaN sorts before every other number and equals itself.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareTimestamps(a: Timestamp, b: Timestamp): number {
  const s = Number(a.seconds ?? 0) - Number(b.seconds ?? 0);
  if (s !== 0) return s < 0 ? -1 : 1;
  const n = (a.nanos ?? 0) - (b.nanos ?? 0);
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function referencePath(ref: string): string {
  // Compare the part below `documents/` segment-wise; the database prefix first.
  return ref;
}

function compareMaps(a: Fields, b: Fields): number {
  const ak = Object.keys(a).sort(compareStrings);
  const bk = Object.keys(b).sort(compareStrings);
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    const kc = compareStrings(ak[i]!, bk[i]!);
    if (kc !== 0) return kc;
    const vc = compareValues(a[ak[i]!]!, b[bk[i]!]!);
    if (vc !== 0) return vc;
  }
  return ak.length - bk.length;
}

/** Firestore's total order over values, across types. */
export function compareValues(a: Value, b: Value): number {
  const ta = typeOrder(a);
  const tb = typeOrder(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  switch (kindOf(a)) {
    case 'nullValue': return 0;
    case 'booleanValue': return Number(a.booleanValue ?? false) - Number(b.booleanValue ?? false);
    case 'integerValue': case 'doubleValue': return compareNumbers(a, b);
    case 'timestampValue': return compareTimestamps(a.timestampValue ?? {}, b.timestampValue ?? {});
    case 'stringValue': return compareStrings(a.stringValue ?? '', b.stringValue ?? '');
    case 'bytesValue': return compareBytes(a.bytesValue ?? new Uint8Array(), b.bytesValue ?? new Uint8Array());
    case 'referenceValue': return comparePaths(referencePath(a.referenceValue ?? ''), referencePath(b.referenceValue ?? ''));
    case 'geoPointValue': {
      const la = a.geoPointValue?.latitude ?? 0; const lb = b.geoPointValue?.latitude ?? 0;
      if (la !== lb) return la < lb ? -1 : 1;
      const ga = a.geoPointValue?.longitude ?? 0; const gb = b.geoPointValue?.longitude ?? 0;
      return ga < gb ? -1 : ga > gb ? 1 : 0;
    }
    case 'arrayValue': {
      const av = a.arrayValue?.values ?? []; const bv = b.arrayValue?.values ?? [];
      const n = Math.min(av.length, bv.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(av[i]!, bv[i]!);
        if (c !== 0) return c;
      }
      return av.length - bv.length;
    }
    case 'mapValue': return compareMaps(a.mapValue?.fields ?? {}, b.mapValue?.fields ?? {});
    default: return 0;
  }
}

/** Equality as queries see it: 1 == 1.0; NaN equals nothing. */
export function queryEquals(a: Value, b: Value): boolean {
  if (isNaNValue(a) || isNaNValue(b)) return false;
  return typeOrder(a) === typeOrder(b) && compareValues(a, b) === 0;
}

/** Exact equality of stored data (1 and 1.0 differ), used to detect no-op writes and arrayUnion members. */
export function identical(a: Value, b: Value): boolean {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) {
    return false;
  }
  switch (ka) {
    case 'doubleValue': return Object.is(a.doubleValue ?? 0, b.doubleValue ?? 0) || (a.doubleValue ?? 0) === (b.doubleValue ?? 0);
    case 'integerValue': return String(a.integerValue ?? 0) === String(b.integerValue ?? 0);
    case 'arrayValue': {
      const av = a.arrayValue?.values ?? []; const bv = b.arrayValue?.values ?? [];
      return av.length === bv.length && av.every((x, i) => identical(x, bv[i]!));
    }
    case 'mapValue': return identicalFields(a.mapValue?.fields ?? {}, b.mapValue?.fields ?? {});
    default: return compareValues(a, b) === 0;
  }
}

export function identicalFields(a: Fields, b: Fields): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && identical(a[k]!, b[k]!));
}

/** Array membership as arrayUnion/arrayRemove define it (numeric equality, NaN equals NaN). */
export function arrayMemberEquals(a: Value, b: Value): boolean {
  if (isNaNValue(a) && isNaNValue(b)) return true;
  return typeOrder(a) === typeOrder(b) && compareValues(a, b) === 0;
}

// ---------------------------------------------------------------- sizes (Firestore storage size rules)

function stringSize(s: string): number { return Buffer.byteLength(s) + 1; }

export function valueSize(v: Value): number {
  switch (kindOf(v)) {
    case 'nullValue': case 'booleanValue': return 1;
    case 'integerValue': case 'doubleValue': case 'timestampValue': return 8;
    case 'stringValue': return stringSize(v.stringValue ?? '');
    case 'bytesValue': return v.bytesValue?.byteLength ?? 0;
    case 'referenceValue': return stringSize(v.referenceValue ?? '');
    case 'geoPointValue': return 16;
    case 'arrayValue': return (v.arrayValue?.values ?? []).reduce((n, x) => n + valueSize(x), 0);
    case 'mapValue': return fieldsSize(v.mapValue?.fields ?? {});
    default: return 0;
  }
}

export function fieldsSize(fields: Fields): number {
  let n = 0;
  for (const k in fields) n += stringSize(k) + valueSize(fields[k]!);
  return n;
}

/** Size of a document name: each segment's bytes + 1, plus 16. */
export function nameSize(relPath: string): number {
  return relPath.split('/').reduce((n, s) => n + stringSize(s), 16);
}

export const MAX_DOCUMENT_BYTES = 1_048_576;

// ---------------------------------------------------------------- field access

export function getField(fields: Fields | undefined, segs: readonly string[]): Value | undefined {
  let cur: Fields | undefined = fields;
  for (let i = 0; i < segs.length; i++) {
    if (!cur || !Object.prototype.hasOwnProperty.call(cur, segs[i]!)) return undefined;
    const v: Value = cur[segs[i]!]!;
    if (i === segs.length - 1) return v;
    if (kindOf(v) !== 'mapValue') return undefined;
    cur = v.mapValue?.fields;
  }
  return undefined;
}

/** Sets a value at a path, replacing non-map values on the way. `fields` must be a private copy. */
export function setField(fields: Fields, segs: readonly string[], value: Value): void {
  let cur = fields;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i]!;
    const existing = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    let next: Fields;
    if (existing && kindOf(existing) === 'mapValue') {
      next = { ...(existing.mapValue?.fields ?? {}) };
    } else {
      next = {};
    }
    cur[k] = { mapValue: { fields: next }, valueType: 'mapValue' };
    cur = next;
  }
  defineField(cur, segs[segs.length - 1]!, value);
}

function defineField(obj: Fields, key: string, value: Value): void {
  // defineProperty so a field named __proto__ is data, not a prototype change.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deletes the value at a path; a missing path is a no-op. `fields` must be a private copy. */
export function deleteField(fields: Fields, segs: readonly string[]): void {
  let cur = fields;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i]!;
    const existing = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    if (!existing || kindOf(existing) !== 'mapValue') return;
    const next = { ...(existing.mapValue?.fields ?? {}) };
    cur[k] = { mapValue: { fields: next }, valueType: 'mapValue' };
    cur = next;
  }
  delete cur[segs[segs.length - 1]!];
}

/** Keeps only the given field paths (a projection or a read mask). */
export function projectFields(fields: Fields, paths: readonly (readonly string[])[]): Fields {
  const out: Fields = {};
  for (const segs of paths) {
    const v = getField(fields, segs);
    if (v !== undefined) setField(out, segs, v);
  }
  return out;
}
