// The period an insights request covers (issue #19): months `from`..`to`, by default the last 12
// months up to the current one. Pure: the clock is passed in.
import { monthOf } from './insight-entries.js';

/** At most this many months at once: the page then reads at most three yearly aggregates. */
export const MAX_PERIOD_MONTHS = 24;
const EARLIEST = '2000-01';

const shift = (month: string, by: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + by;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};
const span = (from: string, to: string): number => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
};

/** The period asked for, or why it cannot be (reversed, too long, before 2000 or after this month). */
export function periodOf(asked: { from?: string; to?: string }, now: number): { from: string; to: string } | { problem: string; field: 'from' | 'to' } {
  const current = monthOf(now);
  const to = asked.to ?? (asked.from ? shift(asked.from, 11) < current ? shift(asked.from, 11) : current : current);
  const from = asked.from ?? shift(to, -11);
  if (to > current) return { problem: `The period cannot end after this month (${current}).`, field: 'to' };
  if (from < EARLIEST) return { problem: `The period cannot start before ${EARLIEST}.`, field: 'from' };
  if (from > to) return { problem: 'The period starts after it ends.', field: 'from' };
  if (span(from, to) > MAX_PERIOD_MONTHS) return { problem: `The period can cover at most ${MAX_PERIOD_MONTHS} months.`, field: 'to' };
  return { from, to };
}

/** The years the period touches (one aggregate document each). */
export function yearsOf(p: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let y = Number(p.from.slice(0, 4)); y <= Number(p.to.slice(0, 4)); y++) out.push(String(y));
  return out;
}
