// The insights API (issue #19): its query and response shapes, declared once (the site imports them).
import * as z from 'zod';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');
/** A month, `YYYY-MM` (the aggregates are monthly). */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month is written YYYY-MM.');

export const TeamInsightsQuery = z.strictObject({ tenantId: Id, clientId: Id.optional(), from: Month.optional(), to: Month.optional() });
export const PortalInsightsQuery = z.strictObject({ from: Month.optional(), to: Month.optional() });
export const PortalInsightsPath = z.strictObject({ clientId: Id });

/** Why there is nothing to show yet, and what to do about it. */
export type EmptyReason = 'no_estimates' | 'no_jira' | 'no_time_logged';

export interface CardInsightView { card: string; count: number; timed: number; medianHours: number | null; q1Hours: number | null; q3Hours: number | null; hoursPerPoint: number | null }
export interface OutlierView {
  card: string; hours: number; month: string; direction: 'over' | 'under'; title: string;
  jira: { key: string; url: string } | null;
  /** The session it was estimated in (team insights only; portal users do not see sessions). */
  session?: { id: string; issueId: string; path: string };
}
export interface InsightsView {
  period: { from: string; to: string };
  scope: { tenantId: string; clientId: string | null };
  cards: CardInsightView[];
  calibration: { timed: number; held: number; heldShare: number | null; outliers: OutlierView[] };
  trend: { month: string; finalized: number; timed: number; held: number; heldShare: number | null }[];
  coverage: { finalized: number; linkedToJira: number; withTimeLogged: number; openInJira: number };
  consensus: { voted: number; firstRoundAgreed: number; firstRoundAgreedShare: number | null; averageRounds: number | null };
  empty: { reason: EmptyReason; message: string } | null;
}
