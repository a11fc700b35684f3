// Presence: a participant is online while their polls keep arriving. Polls write lastSeenAt at
// most once a minute, so "online" allows a little more than that.

export const PRESENCE_WRITE_INTERVAL_MS = 60_000;
export const ONLINE_WINDOW_MS = 150_000;

export function isOnline(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt <= ONLINE_WINDOW_MS;
}

/** The presence period a state belongs to: online marks are recomputed when it changes. */
export function presencePeriod(now: number): number {
  return Math.floor(now / PRESENCE_WRITE_INTERVAL_MS);
}
