// The insight numbers (issue #19) from the aggregate documents of a period: per card counts and
// quartiles of hours logged (from per-month histograms of quarter hours, which add up across
// months exactly), the share of estimates that held, outliers, the monthly trend, coverage and
// consensus. Pure and synchronous.
import { pointsOf } from './insight-entries.js';

/** One month of an aggregate document, as stored. */
export interface MonthAggregate {
  n?: number; jira?: number; open?: number; voted?: number; agreed?: number; roundsN?: number; roundsSum?: number; timed?: number;
  c?: Record<string, { n?: number; t?: number; h?: Record<string, number> }>;
}
export interface OutlierCandidate { card: string; month: string; quarters: number; sessionId: string; issueId: string; title: string; jiraKey: string | null; jiraUrl: string | null }
/** An aggregate document (one team or client, one year) as stored. */
export interface YearAggregate { year: string; cards?: Record<string, string>; m?: Record<string, MonthAggregate>; out?: Record<string, OutlierCandidate> }

export interface CardCalibration { card: string; count: number; medianHours: number; q1Hours: number; q3Hours: number }
export interface CardInsight { card: string; count: number; timed: number; medianHours: number | null; q1Hours: number | null; q3Hours: number | null; hoursPerPoint: number | null }
export interface Outlier { card: string; hours: number; month: string; sessionId: string; issueId: string; title: string; jira: { key: string; url: string } | null; direction: 'over' | 'under' }
export interface TrendPoint { month: string; finalized: number; timed: number; held: number; heldShare: number | null }
export interface Insights {
  cards: CardInsight[];
  calibration: { timed: number; held: number; heldShare: number | null; outliers: Outlier[] };
  trend: TrendPoint[];
  coverage: { finalized: number; linkedToJira: number; withTimeLogged: number; openInJira: number };
  consensus: { voted: number; firstRoundAgreed: number; firstRoundAgreedShare: number | null; averageRounds: number | null };
}

/** A card's quartiles mean something from this many issues with time logged. */
export const MIN_TIMED_FOR_QUARTILES = 4;
const MAX_OUTLIERS = 50;

/** Months `from`..`to` inclusive (`YYYY-MM`). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > to) return out;
    out.push(s);
    if (++m > 12) { m = 1; y++; }
  }
}

/** The value at fraction f of a sorted multiset given as (value → count), linear between closest ranks. */
export function quantileOf(hist: ReadonlyMap<number, number>, f: number): number | null {
  const values = [...hist.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = values.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const at = (rank: number) => { let seen = 0; for (const [v, c] of values) { seen += c; if (rank < seen) return v; } return values.at(-1)![0]; };
  const pos = (n - 1) * f;
  const lo = at(Math.floor(pos)), hi = at(Math.ceil(pos));
  return lo + (hi - lo) * (pos - Math.floor(pos));
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

interface Gathered { month: MonthAggregate; key: string }

function monthsOf(docs: readonly YearAggregate[], months: readonly string[]): Gathered[] {
  const byYear = new Map(docs.map((d) => [d.year, d]));
  return months.flatMap((key) => { const m = byYear.get(key.slice(0, 4))?.m?.[key.slice(5, 7)]; return m ? [{ month: m, key }] : []; });
}

/** Histograms in hours (quarter-hour values) per card label, summed over the months. */
function cardHistograms(docs: readonly YearAggregate[], gathered: readonly Gathered[]) {
  const labels = Object.assign({}, ...docs.map((d) => d.cards ?? {})) as Record<string, string>;
  const cards = new Map<string, { count: number; timed: number; hist: Map<number, number> }>();
  for (const { month } of gathered) {
    for (const [k, c] of Object.entries(month.c ?? {})) {
      const label = labels[k];
      if (label === undefined || !c.n) continue;
      const x = cards.get(label) ?? { count: 0, timed: 0, hist: new Map() };
      x.count += c.n ?? 0; x.timed += c.t ?? 0;
      for (const [q, cnt] of Object.entries(c.h ?? {})) x.hist.set(Number(q.slice(1)) / 4, (x.hist.get(Number(q.slice(1)) / 4) ?? 0) + cnt);
      cards.set(label, x);
    }
  }
  return { labels, cards };
}

/** Per-card calibration numbers of a period: the estimate suggestion (issue #18) reads these. */
export function calibrationOf(docs: readonly YearAggregate[], from: string, to: string): CardCalibration[] {
  const { cards } = cardHistograms(docs, monthsOf(docs, monthsBetween(from, to)));
  return [...cards].filter(([, c]) => c.timed >= MIN_TIMED_FOR_QUARTILES).map(([card, c]) => ({
    card, count: c.timed, medianHours: quantileOf(c.hist, 0.5)!, q1Hours: quantileOf(c.hist, 0.25)!, q3Hours: quantileOf(c.hist, 0.75)!,
  }));
}

const sum = (xs: readonly Gathered[], f: (m: MonthAggregate) => number | undefined) => xs.reduce((s, x) => s + (f(x.month) ?? 0), 0);

/** Every insight of the period `from`..`to` (months) from the aggregate documents of its years. */
export function insightsOf(docs: readonly YearAggregate[], from: string, to: string): Insights {
  const months = monthsBetween(from, to);
  const gathered = monthsOf(docs, months);
  const { labels, cards } = cardHistograms(docs, gathered);
  const calib = new Map(calibrationOf(docs, from, to).map((c) => [c.card, c]));
  const heldIn = (label: string, hist: Record<string, number> | undefined) => {
    const q = calib.get(label);
    if (!q) return { held: 0, timed: 0 };
    let held = 0, timed = 0;
    for (const [k, n] of Object.entries(hist ?? {})) { const h = Number(k.slice(1)) / 4; timed += n; if (h >= q.q1Hours && h <= q.q3Hours) held += n; }
    return { held, timed };
  };
  const trend = months.map((key) => {
    const m = gathered.find((g) => g.key === key)?.month;
    let held = 0, timed = 0;
    for (const [k, c] of Object.entries(m?.c ?? {})) { const r = heldIn(labels[k] ?? '', c.h); held += r.held; timed += r.timed; }
    return { month: key, finalized: m?.n ?? 0, timed: m?.timed ?? 0, held, heldShare: round2(share(held, timed)) };
  });
  const held = trend.reduce((s, t) => s + t.held, 0);
  const timedInCalibrated = [...calib.values()].reduce((s, c) => s + c.count, 0);
  const voted = sum(gathered, (m) => m.voted), agreed = sum(gathered, (m) => m.agreed);
  return {
    cards: [...cards].map(([card, c]) => {
      const q = calib.get(card);
      const per = pointsOf(card);
      return {
        card, count: c.count, timed: c.timed, medianHours: q?.medianHours ?? null, q1Hours: q?.q1Hours ?? null, q3Hours: q?.q3Hours ?? null,
        hoursPerPoint: q && per ? round2(q.medianHours / per) : null,
      };
    }).sort((a, b) => (pointsOf(a.card) ?? Infinity) - (pointsOf(b.card) ?? Infinity) || a.card.localeCompare(b.card)),
    calibration: { timed: timedInCalibrated, held, heldShare: round2(share(held, timedInCalibrated)), outliers: outliersOf(docs, calib, months) },
    trend,
    coverage: { finalized: sum(gathered, (m) => m.n), linkedToJira: sum(gathered, (m) => m.jira), withTimeLogged: sum(gathered, (m) => m.timed), openInJira: sum(gathered, (m) => m.open) },
    consensus: {
      voted, firstRoundAgreed: agreed, firstRoundAgreedShare: round2(share(agreed, voted)),
      averageRounds: round2(share(sum(gathered, (m) => m.roundsSum), sum(gathered, (m) => m.roundsN))),
    },
  };
}

/** Tukey's fences: below q1 − 1.5·IQR or above q3 + 1.5·IQR of the card's hours. */
export function outsideFences(hours: number, q: { q1Hours: number; q3Hours: number }): 'over' | 'under' | null {
  const iqr = q.q3Hours - q.q1Hours;
  if (hours > q.q3Hours + 1.5 * iqr) return 'over';
  if (hours < q.q1Hours - 1.5 * iqr) return 'under';
  return null;
}

function outliersOf(docs: readonly YearAggregate[], calib: ReadonlyMap<string, CardCalibration>, months: readonly string[]): Outlier[] {
  const inPeriod = new Set(months);
  const found: (Outlier & { distance: number })[] = [];
  for (const c of docs.flatMap((d) => Object.values(d.out ?? {}))) {
    const q = calib.get(c.card);
    const hours = c.quarters / 4;
    const direction = q && inPeriod.has(c.month) ? outsideFences(hours, q) : null;
    if (!q || !direction) continue;
    found.push({
      card: c.card, hours, month: c.month, sessionId: c.sessionId, issueId: c.issueId, title: c.title, direction,
      jira: c.jiraKey && c.jiraUrl ? { key: c.jiraKey, url: c.jiraUrl } : null, distance: Math.abs(hours - q.medianHours) / Math.max(0.25, q.medianHours),
    });
  }
  return found.sort((a, b) => b.distance - a.distance || a.issueId.localeCompare(b.issueId)).slice(0, MAX_OUTLIERS).map(({ distance: _d, ...o }) => o);
}

/**
 * Whether an issue's time is worth keeping as an outlier candidate, judged against its card in
 * the aggregate as read when the time is recorded: while the card has few issues every time is
 * kept, later only times outside the card's fences (the page shows those still outside the
 * fences of the period it looks at).
 */
export function isOutlierCandidate(doc: YearAggregate | undefined, card: string, hours: number): boolean {
  const year = doc ? [doc] : [];
  const calib = calibrationOf(year, `${doc?.year ?? '0000'}-01`, `${doc?.year ?? '0000'}-12`).find((c) => c.card === card);
  return !calib || outsideFences(hours, calib) !== null;
}
