// The insight rules, pure (issue #19): what an issue adds to the aggregates and how a change moves
// it, quartiles from histograms, the period, and the calibration numbers the AI suggestion reads.
import { describe, it, expect } from 'vitest';
import { entryDeltas, entryOf, firstRoundAgreed, cardKey, type InsightEntry } from '../../shared/domain/insight-entries.js';
import { calibrationOf, insightsOf, quantileOf, outsideFences, type YearAggregate } from '../../shared/domain/insight-stats.js';
import { periodOf, yearsOf } from '../../shared/domain/insight-period.js';

const NOW = Date.parse('2026-11-30T16:00:00Z');
const entry = (over: Partial<InsightEntry> = {}): InsightEntry => ({ month: '2026-03', card: '5', clientId: null, quarters: 40, jira: true, open: false, voted: true, agreed: true, rounds: 1, ...over });

describe('an issue\'s entry', () => {
  it('is none until the issue has a final estimate', () => {
    expect(entryOf({ finalEstimate: null, estimatedAt: null, rounds: 0, jira: null }, null, { voted: false, agreed: false })).toBeNull();
  });

  it('keeps logged time in quarter hours (any time at all is at least one) and tells open from done', () => {
    const at = Date.parse('2026-03-05T10:00:00Z');
    expect(entryOf({ finalEstimate: '5', estimatedAt: at, rounds: 2, jira: { timeSpentSeconds: 36_000, status: 'In Progress' } }, 'c1', { voted: true, agreed: false }))
      .toEqual({ month: '2026-03', card: '5', clientId: 'c1', quarters: 40, jira: true, open: true, voted: true, agreed: false, rounds: 2 });
    expect(entryOf({ finalEstimate: '5', estimatedAt: at, rounds: 0, jira: { timeSpentSeconds: 60, status: 'Done' } }, null, { voted: false, agreed: false })).toMatchObject({ quarters: 1, open: false });
  });

  it('agrees in round 1 only when every card played was the same', () => {
    expect(firstRoundAgreed(['5', '5'])).toBe(true);
    expect(firstRoundAgreed(['5', '8'])).toBe(false);
    expect(firstRoundAgreed([])).toBe(false);
  });
});

describe('the increments of a change', () => {
  it('move a re-estimated issue out of its old card into the new one, and nothing else', () => {
    const d = entryDeltas('t', [{ before: entry(), after: entry({ card: '8' }) }]).get('t_team_2026')!;
    expect(d.tree).toEqual({ m: { '03': { c: { [cardKey('5')]: { n: -1, t: -1, h: { q40: -1 } }, [cardKey('8')]: { n: 1, t: 1, h: { q40: 1 } } } } } });
  });

  it('count an issue of a client in the team and in the client, and change nothing when nothing changed', () => {
    expect([...entryDeltas('t', [{ before: null, after: entry({ clientId: 'c' }) }]).keys()]).toEqual(['t_team_2026', 't_client_c_2026']);
    expect(entryDeltas('t', [{ before: entry(), after: entry() }]).size).toBe(0);
  });

  it('give cards that are not field names a field name of their own', () => {
    expect(new Set(['½', '☕', 'a.b', 'XL', '1/2'].map(cardKey)).size).toBe(5);
    expect(['½', 'a.b', '1/2'].map(cardKey).every((k) => /^k[0-9a-f]+$/.test(k))).toBe(true);
  });
});

describe('quartiles from a histogram', () => {
  it.each([
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.25, 1.75],
    [[5], 0.75, 5],
    [[1, 1, 1, 10], 0.75, 3.25],
  ])('of %j at %d is %d (linear between closest ranks)', (values, f, want) => {
    const hist = new Map<number, number>();
    for (const v of values) hist.set(v, (hist.get(v) ?? 0) + 1);
    expect(quantileOf(hist, f)).toBeCloseTo(want, 10);
  });

  it('fences at 1.5 times the interquartile range', () => {
    expect(outsideFences(20, { q1Hours: 4, q3Hours: 8 })).toBe('over');
    expect(outsideFences(14, { q1Hours: 4, q3Hours: 8 })).toBeNull();
  });
});

const year: YearAggregate = {
  year: '2026', cards: { [cardKey('5')]: '5', [cardKey('XL')]: 'XL' },
  m: {
    '02': { n: 3, timed: 3, c: { [cardKey('5')]: { n: 3, t: 3, h: { q16: 1, q40: 2 } } } },
    '03': { n: 3, timed: 2, voted: 2, agreed: 1, roundsN: 2, roundsSum: 3, c: { [cardKey('5')]: { n: 2, t: 2, h: { q48: 1, q200: 1 } }, [cardKey('XL')]: { n: 1 } } },
  },
};

describe('the calibration numbers (read by the estimate suggestion)', () => {
  it('give per card the count with time logged and the median and quartiles of hours', () => {
    expect(calibrationOf([year], '2026-01', '2026-12')).toEqual([{ card: '5', count: 5, medianHours: 10, q1Hours: 10, q3Hours: 12 }]);
  });

  it('leave out cards with fewer than 4 issues with time, and months outside the period', () => {
    expect(calibrationOf([year], '2026-03', '2026-03')).toEqual([]);
  });
});

describe('the insights of a period', () => {
  it('add up months, and give hours per point for numeric cards only', () => {
    const i = insightsOf([year], '2026-02', '2026-03');
    expect(i.coverage).toEqual({ finalized: 6, linkedToJira: 0, withTimeLogged: 5, openInJira: 0 });
    expect(i.cards).toEqual([
      { card: '5', count: 5, timed: 5, medianHours: 10, q1Hours: 10, q3Hours: 12, hoursPerPoint: 2 },
      { card: 'XL', count: 1, timed: 0, medianHours: null, q1Hours: null, q3Hours: null, hoursPerPoint: null },
    ]);
    expect(i.consensus).toEqual({ voted: 2, firstRoundAgreed: 1, firstRoundAgreedShare: 0.5, averageRounds: 1.5 });
    expect(i.trend.map((t) => [t.month, t.finalized, t.held])).toEqual([['2026-02', 3, 2], ['2026-03', 3, 1]]);
  });
});

describe('the period', () => {
  it('is the last 12 months by default', () => {
    expect(periodOf({}, NOW)).toEqual({ from: '2025-12', to: '2026-11' });
    expect(periodOf({ from: '2026-06' }, NOW)).toEqual({ from: '2026-06', to: '2026-11' });
    expect(periodOf({ to: '2025-06' }, NOW)).toEqual({ from: '2024-07', to: '2025-06' });
  });

  it.each([
    [{ from: '2026-05', to: '2026-01' }, 'from'],
    [{ from: '2023-01', to: '2025-06' }, 'to'],
    [{ to: '2026-12' }, 'to'],
    [{ from: '1999-01', to: '1999-06' }, 'from'],
  ])('refuses %j', (asked, field) => {
    expect(periodOf(asked, NOW)).toMatchObject({ field });
  });

  it('touches at most three yearly aggregates', () => {
    expect(yearsOf({ from: '2024-12', to: '2026-11' })).toEqual(['2024', '2025', '2026']);
  });
});
