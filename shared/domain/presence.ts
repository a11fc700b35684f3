// Presence: a participant is online while their polls keep arriving. Polls write lastSeenAt at
// most once a minute, and the room re-reads its participants for presence every two minutes
// (each re-read costs a read per participant), so "online" allows for both.

export const PRESENCE_WRITE_INTERVAL_MS = 60_000;
export const PRESENCE_PERIOD_MS = 120_000;
export const ONLINE_WINDOW_MS = 180_000;

export function isOnline(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt <= ONLINE_WINDOW_MS;
}

/** The presence period a state belongs to: online marks are recomputed when it changes. */
export function presencePeriod(now: number): number {
  return Math.floor(now / PRESENCE_PERIOD_MS);
}
