// The insights page as CSV (issue #19): the per-card numbers, the monthly trend and the outliers,
// one section after another, each with its own header. Cells that a spreadsheet would run as a
// formula are quoted with a leading apostrophe.
import type { InsightsView } from '../schemas/insights.js';

const cell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const line = (cells: (string | number | null)[]) => cells.map(cell).join(',');

export function insightsCsv(v: InsightsView): string {
  return [
    line(['section', 'card', 'issues', 'with time logged', 'q1 hours', 'median hours', 'q3 hours', 'hours per point']),
    ...v.cards.map((c) => line(['cards', c.card, c.count, c.timed, c.q1Hours, c.medianHours, c.q3Hours, c.hoursPerPoint])),
    '',
    line(['section', 'month', 'finalized', 'with time logged', 'held (within the quartiles)', 'held share']),
    ...v.trend.map((t) => line(['trend', t.month, t.finalized, t.timed, t.held, t.heldShare])),
    '',
    line(['section', 'card', 'hours', 'month', 'direction', 'issue', 'jira']),
    ...v.calibration.outliers.map((o) => line(['outliers', o.card, o.hours, o.month, o.direction, o.title, o.jira?.key ?? null])),
  ].join('\r\n') + '\r\n';
}
