// The insights response, mapped field by field from the computed numbers (never a stored document).
import type { Insights } from '../../shared/domain/insight-stats.js';
import type { EmptyReason, InsightsView } from '../../shared/schemas/insights.js';

const EMPTY_MESSAGES: Record<EmptyReason, string> = {
  no_estimates: 'No estimates were finalized in this period. Finalize estimates in your sessions and they show here.',
  no_jira: 'Estimates are here, but no Jira site is connected: connect Jira (Team → Jira) and import issues, so the time logged on them can be compared.',
  no_time_logged: 'Estimates are here, but no time is logged on them in Jira yet. The sync reads worklogs every 15 minutes; log time in Jira and wait for it.',
};

/** Why the page has nothing to compare, if so. */
export function emptyOf(i: Insights, hasJira: boolean | undefined): InsightsView['empty'] {
  const reason: EmptyReason | null = i.coverage.finalized === 0 ? 'no_estimates' : i.coverage.withTimeLogged > 0 ? null : hasJira === false ? 'no_jira' : 'no_time_logged';
  return reason && { reason, message: EMPTY_MESSAGES[reason] };
}

export function insightsView(i: Insights, period: { from: string; to: string }, scope: InsightsView['scope'], forPortal: boolean, empty: InsightsView['empty']): InsightsView {
  return {
    period: { from: period.from, to: period.to },
    scope: { tenantId: scope.tenantId, clientId: scope.clientId },
    cards: i.cards.map((c) => ({ card: c.card, count: c.count, timed: c.timed, medianHours: c.medianHours, q1Hours: c.q1Hours, q3Hours: c.q3Hours, hoursPerPoint: c.hoursPerPoint })),
    calibration: {
      timed: i.calibration.timed, held: i.calibration.held, heldShare: i.calibration.heldShare,
      outliers: i.calibration.outliers.map((o) => ({
        card: o.card, hours: o.hours, month: o.month, direction: o.direction, title: o.title, jira: o.jira && { key: o.jira.key, url: o.jira.url },
        ...(forPortal ? {} : { session: { id: o.sessionId, issueId: o.issueId, path: `/#/s/${o.sessionId}` } }),
      })),
    },
    trend: i.trend.map((t) => ({ month: t.month, finalized: t.finalized, timed: t.timed, held: t.held, heldShare: t.heldShare })),
    coverage: { ...i.coverage },
    consensus: { ...i.consensus },
    empty,
  };
}
