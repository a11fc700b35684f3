// How long a team keeps its closed sessions (tenants/{id}.sessionRetentionDays), and when a
// closed session has outlived it. Pure: the clock is passed in.

export const RETENTION_DAYS = { default: 365, min: 30, max: 3650 } as const;
const DAY_MS = 86_400_000;

/** The team's setting, or the default when it is missing or out of bounds. */
export function retentionDaysOf(setting: unknown): number {
  return typeof setting === 'number' && Number.isInteger(setting) && setting >= RETENTION_DAYS.min && setting <= RETENTION_DAYS.max ? setting : RETENTION_DAYS.default;
}

/** Closed sessions last changed before this instant are deleted. */
export function retentionCutoff(now: number, days: number): number {
  return now - days * DAY_MS;
}
