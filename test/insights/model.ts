// The test's own account of a generated history, and the insight numbers computed from it
// directly (sorted lists, no histograms, no aggregates): what the API must agree with.
export interface ModelIssue {
  key: string; sessionId: string; issueId: string; clientId: string | null;
  month: string; card: string; seconds: number | null; done: boolean;
  voted: boolean; agreed: boolean; rounds: number;
}

/** R-7 (linear between closest ranks) over a sorted list. */
export function quantile(sorted: number[], f: number): number {
  const pos = (sorted.length - 1) * f;
  const lo = sorted[Math.floor(pos)]!, hi = sorted[Math.ceil(pos)]!;
  return lo + (hi - lo) * (pos - Math.floor(pos));
}

export const hoursOf = (i: ModelIssue) => (i.seconds && i.seconds > 0 ? Math.max(1, Math.round(i.seconds / 900)) / 4 : null);

export function expected(issues: ModelIssue[], months: string[]) {
  const inPeriod = issues.filter((i) => months.includes(i.month));
  const cards = [...new Set(inPeriod.map((i) => i.card))];
  const quartiles = new Map<string, { q1: number; median: number; q3: number }>();
  for (const card of cards) {
    const hours = inPeriod.filter((i) => i.card === card).map(hoursOf).filter((h): h is number => h !== null).sort((a, b) => a - b);
    if (hours.length >= 4) quartiles.set(card, { q1: quantile(hours, 0.25), median: quantile(hours, 0.5), q3: quantile(hours, 0.75) });
  }
  const held = (i: ModelIssue) => { const q = quartiles.get(i.card); const h = hoursOf(i); return q && h !== null && h >= q.q1 && h <= q.q3; };
  const calibrated = inPeriod.filter((i) => quartiles.has(i.card) && hoursOf(i) !== null);
  const outside = (i: ModelIssue) => {
    const q = quartiles.get(i.card); const h = hoursOf(i);
    if (!q || h === null) return false;
    const iqr = q.q3 - q.q1;
    return h > q.q3 + 1.5 * iqr || h < q.q1 - 1.5 * iqr;
  };
  const voted = inPeriod.filter((i) => i.voted);
  const withRounds = inPeriod.filter((i) => i.rounds > 0);
  return {
    cards: Object.fromEntries(cards.map((c) => [c, { count: inPeriod.filter((i) => i.card === c).length, timed: inPeriod.filter((i) => i.card === c && hoursOf(i) !== null).length, ...quartiles.get(c) }])),
    heldShare: calibrated.filter(held).length / calibrated.length,
    outliers: new Set(inPeriod.filter(outside).map((i) => i.issueId)),
    trend: months.map((m) => {
      const of = inPeriod.filter((i) => i.month === m);
      const cal = of.filter((i) => quartiles.has(i.card) && hoursOf(i) !== null);
      return { month: m, finalized: of.length, timed: of.filter((i) => hoursOf(i) !== null).length, held: cal.filter(held).length };
    }),
    coverage: { finalized: inPeriod.length, linkedToJira: inPeriod.length, withTimeLogged: inPeriod.filter((i) => hoursOf(i) !== null).length, openInJira: inPeriod.filter((i) => !i.done).length },
    consensus: { voted: voted.length, firstRoundAgreed: voted.filter((i) => i.agreed).length, averageRounds: withRounds.reduce((s, i) => s + i.rounds, 0) / withRounds.length },
  };
}

/** A small seeded generator (mulberry32), so a failing history can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
