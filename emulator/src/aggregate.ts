// count / sum / avg over a query's results, with Firestore's rules: non-numeric and missing
// values are ignored, an all-integer sum stays an integer, an empty average is null.
import { InvalidArgument, parseFieldPath } from './paths.js';
import { type Value, getField, kindOf, intValue, doubleValue, nullValue } from './values.js';
import type { QueryResult } from './query.js';

export interface Aggregation {
  alias?: string;
  count?: { upTo?: { value?: string | number } };
  sum?: { field?: { fieldPath?: string } };
  avg?: { field?: { fieldPath?: string } };
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function numbersAt(rows: QueryResult[], fieldPath: string | undefined): Value[] {
  if (!fieldPath) throw new InvalidArgument('sum/avg needs a field');
  const segs = parseFieldPath(fieldPath);
  const out: Value[] = [];
  for (const r of rows) {
    const v = getField(r.version.fields!, segs);
    const k = v && kindOf(v);
    if (k === 'integerValue' || k === 'doubleValue') out.push(v!);
  }
  return out;
}

function sumOf(values: Value[]): Value {
  let intSum = 0n;
  let dbl = 0;
  let anyDouble = false;
  for (const v of values) {
    if (kindOf(v) === 'integerValue') intSum += BigInt(v.integerValue ?? 0);
    else { anyDouble = true; dbl += v.doubleValue ?? 0; }
  }
  if (!anyDouble && intSum <= INT64_MAX && intSum >= INT64_MIN) return intValue(intSum);
  return doubleValue(Number(intSum) + dbl);
}

/** Computes the aggregations over the rows of the (already limited) query. */
export function aggregate(allRows: QueryResult[], aggregations: Aggregation[]): Record<string, Value> {
  if (aggregations.length === 0 || aggregations.length > 5) throw new InvalidArgument('an aggregation query takes 1 to 5 aggregations');
  // Documented: with sum/average, only documents that contain every aggregated field take part.
  const fieldPaths = aggregations.map((a) => a.sum?.field?.fieldPath ?? a.avg?.field?.fieldPath).filter((p): p is string => !!p).map(parseFieldPath);
  const rows = fieldPaths.length === 0 ? allRows : allRows.filter((r) => fieldPaths.every((segs) => getField(r.version.fields!, segs) !== undefined));
  const out: Record<string, Value> = {};
  aggregations.forEach((a, i) => {
    const alias = a.alias || `field_${i + 1}`;
    if (a.count) {
      const upTo = a.count.upTo?.value !== undefined ? Number(a.count.upTo.value) : Infinity;
      out[alias] = intValue(Math.min(rows.length, upTo));
    } else if (a.sum) {
      out[alias] = sumOf(numbersAt(rows, a.sum.field?.fieldPath));
    } else if (a.avg) {
      const values = numbersAt(rows, a.avg.field?.fieldPath);
      out[alias] = values.length === 0 ? nullValue()
        : doubleValue(values.reduce((n, v) => n + (kindOf(v) === 'integerValue' ? Number(v.integerValue) : v.doubleValue ?? 0), 0) / values.length);
    } else {
      throw new InvalidArgument('unknown aggregation');
    }
  });
  return out;
}
