// Applies one google.firestore.v1.Write to a document's current state: preconditions, set/merge
// with field masks, deletes and field transforms, with Firestore's limits checked.
import { status } from '@grpc/grpc-js';
import { parseFieldPath, InvalidArgument } from './paths.js';
import {
  type Fields, type Value, kindOf, getField, setField, deleteField, intValue, doubleValue, timestampValue, arrayValue,
  compareValues, arrayMemberEquals, fieldsSize, nameSize, MAX_DOCUMENT_BYTES, timestampToMicros, identicalFields,
  type Timestamp,
} from './values.js';
import type { Version } from './store.js';

export class RpcError extends Error {
  constructor(readonly code: status, message: string) { super(message); }
}

export interface FieldTransform {
  fieldPath?: string;
  setToServerValue?: string;
  increment?: Value;
  maximum?: Value;
  minimum?: Value;
  appendMissingElements?: { values?: Value[] };
  removeAllFromArray?: { values?: Value[] };
}
export interface Write {
  update?: { name?: string; fields?: Fields };
  delete?: string;
  transform?: { document?: string; fieldTransforms?: FieldTransform[] };
  updateMask?: { fieldPaths?: string[] };
  updateTransforms?: FieldTransform[];
  currentDocument?: { exists?: boolean; updateTime?: Timestamp };
}

export interface WriteOutcome {
  /** The new state, or undefined when the write changed nothing. */
  next: Version | undefined;
  transformResults: Value[];
}

/** The document a write targets (full resource name). */
export function writeTarget(w: Write): string {
  const name = w.update?.name ?? w.delete ?? w.transform?.document;
  if (!name) throw new InvalidArgument('write has no operation');
  return name;
}

function checkPrecondition(w: Write, current: Version | undefined): void {
  const pre = w.currentDocument;
  if (!pre) return;
  if (pre.updateTime !== undefined) {
    if (!current || current.updateTime !== timestampToMicros(pre.updateTime)) {
      throw new RpcError(status.FAILED_PRECONDITION, 'the document was changed since the given update time');
    }
  } else if (pre.exists === true && !current) {
    throw new RpcError(status.NOT_FOUND, `no document to update: ${writeTarget(w)}`);
  } else if (pre.exists === false && current) {
    throw new RpcError(status.ALREADY_EXISTS, `document already exists: ${writeTarget(w)}`);
  }
}

/** Computes the outcome of one write against `current` at `commitTime` (micros). */
export function applyWrite(w: Write, relPath: string, current: Version | undefined, commitTime: number): WriteOutcome {
  checkPrecondition(w, current);
  if (w.delete !== undefined) {
    return { next: current ? { fields: null, createTime: 0, updateTime: commitTime } : undefined, transformResults: [] };
  }
  let fields: Fields;
  let transforms: FieldTransform[];
  if (w.update) {
    const incoming = w.update.fields ?? {};
    validateFields(incoming, 0);
    if (w.updateMask) {
      fields = { ...(current?.fields ?? {}) };
      for (const p of w.updateMask.fieldPaths ?? []) {
        const segs = parseFieldPath(p);
        const v = getField(incoming, segs);
        if (v === undefined) deleteField(fields, segs); else setField(fields, segs, v);
      }
    } else {
      fields = incoming;
    }
    transforms = w.updateTransforms ?? [];
  } else {
    fields = { ...(current?.fields ?? {}) };
    transforms = w.transform?.fieldTransforms ?? [];
  }
  if (transforms.length > 0 && fields === w.update?.fields) fields = { ...fields };
  const transformResults = transforms.map((t) => applyTransform(fields, t, commitTime));
  const size = nameSize(relPath) + fieldsSize(fields) + 32;
  if (size > MAX_DOCUMENT_BYTES) {
    throw new RpcError(status.INVALID_ARGUMENT, `Document '${relPath}' cannot be written because its size (${size} bytes) exceeds the maximum allowed size of ${MAX_DOCUMENT_BYTES} bytes.`);
  }
  if (current?.fields && identicalFields(current.fields, fields)) {
    // Firestore reports the previous update time for a write that changes nothing.
    return { next: undefined, transformResults };
  }
  return { next: { fields, createTime: current ? current.createTime : commitTime, updateTime: commitTime }, transformResults };
}

function validateFields(fields: Fields, depth: number): void {
  if (depth > 20) throw new InvalidArgument('document has more than 20 levels of nesting');
  for (const key of Object.keys(fields)) {
    if (/^__.*__$/.test(key)) throw new InvalidArgument(`field name "${key}" is reserved`);
    const v = fields[key]!;
    if (kindOf(v) === 'mapValue') validateFields(v.mapValue?.fields ?? {}, depth + 1);
    if (kindOf(v) === 'arrayValue') {
      for (const e of v.arrayValue?.values ?? []) {
        // Production Firestore (and the official emulator) refuse arrays nested directly in arrays.
        if (kindOf(e) === 'arrayValue') throw new InvalidArgument('Cannot convert an array value in an array value.');
        if (kindOf(e) === 'mapValue') validateFields(e.mapValue?.fields ?? {}, depth + 1);
      }
    }
  }
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function isNumber(v: Value | undefined): v is Value {
  const k = v && kindOf(v);
  return k === 'integerValue' || k === 'doubleValue';
}

function addNumbers(a: Value, b: Value): Value {
  if (kindOf(a) === 'integerValue' && kindOf(b) === 'integerValue') {
    const sum = BigInt(a.integerValue ?? 0) + BigInt(b.integerValue ?? 0);
    // Integer increments saturate at the int64 bounds.
    return intValue(sum > INT64_MAX ? INT64_MAX : sum < INT64_MIN ? INT64_MIN : sum);
  }
  const x = kindOf(a) === 'integerValue' ? Number(a.integerValue) : (a.doubleValue ?? 0);
  const y = kindOf(b) === 'integerValue' ? Number(b.integerValue) : (b.doubleValue ?? 0);
  return doubleValue(x + y);
}

function applyTransform(fields: Fields, t: FieldTransform, commitTime: number): Value {
  if (!t.fieldPath) throw new InvalidArgument('field transform without a field path');
  const segs = parseFieldPath(t.fieldPath);
  const existing = getField(fields, segs);
  let result: Value;
  if (t.setToServerValue !== undefined) {
    if (t.setToServerValue !== 'REQUEST_TIME') throw new InvalidArgument(`unknown server value ${t.setToServerValue}`);
    // REQUEST_TIME has millisecond precision (google.firestore.v1.DocumentTransform).
    result = timestampValue(Math.floor(commitTime / 1000) * 1000);
  } else if (t.increment) {
    if (!isNumber(t.increment)) throw new InvalidArgument('increment needs a number');
    result = isNumber(existing) ? addNumbers(existing, t.increment) : t.increment;
  } else if (t.maximum || t.minimum) {
    const operand = (t.maximum ?? t.minimum)!;
    if (!isNumber(operand)) throw new InvalidArgument('maximum/minimum need a number');
    if (!isNumber(existing)) result = operand;
    else {
      const c = compareValues(operand, existing);
      result = (t.maximum ? c > 0 : c < 0) ? operand : existing;
    }
  } else if (t.appendMissingElements) {
    const base = existing && kindOf(existing) === 'arrayValue' ? [...(existing.arrayValue?.values ?? [])] : [];
    for (const e of t.appendMissingElements.values ?? []) if (!base.some((x) => arrayMemberEquals(x, e))) base.push(e);
    result = arrayValue(base);
  } else if (t.removeAllFromArray) {
    const remove = t.removeAllFromArray.values ?? [];
    const base = existing && kindOf(existing) === 'arrayValue' ? existing.arrayValue?.values ?? [] : [];
    result = arrayValue(base.filter((x) => !remove.some((r) => arrayMemberEquals(x, r))));
  } else {
    throw new InvalidArgument('field transform has no operation');
  }
  setField(fields, segs, result);
  return result;
}
