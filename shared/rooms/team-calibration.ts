// A team's calibration numbers for the estimate suggestion (issue #18 reads them, issue #19 keeps
// them): per card of the last 12 months, how many issues have time logged and the median and
// quartiles of their hours. One or two document reads (the yearly aggregates the months touch).
import { calibrationOf, type CardCalibration } from '../domain/insight-stats.js';
import { periodOf, yearsOf } from '../domain/insight-period.js';
import { getAggregates } from '../store/insights.js';

export type { CardCalibration } from '../domain/insight-stats.js';

/** Cards with fewer than 4 issues with time logged are left out (their quartiles mean little). */
export async function teamCalibration(tenantId: string, now: number): Promise<CardCalibration[]> {
  const period = periodOf({}, now);
  if ('problem' in period) return [];
  return calibrationOf(await getAggregates(tenantId, null, yearsOf(period)), period.from, period.to);
}
