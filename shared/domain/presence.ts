// Presence: a participant is online while their polls keep arriving. Polls write lastSeenAt at
// most once a minute (a hidden tab polls every 15 s, a failing one backs off to 30 s), so anyone
// still polling was seen within the online window. A room refreshes its online marks once per
// presence period with one query for the participants *not* seen within the window: in a room
// where everyone is still there it returns nothing and costs one read, whatever the room's size.
// Marks are judged as of that refresh, so every poll within a period sees the same marks.

export const PRESENCE_WRITE_INTERVAL_MS = 60_000;
export const PRESENCE_PERIOD_MS = 120_000;
export const ONLINE_WINDOW_MS = 120_000;

export function isOnline(lastSeenAt: number, asOf: number): boolean {
  return asOf - lastSeenAt <= ONLINE_WINDOW_MS;
}

/**
 * The presence period a room is in at `now`: its online marks are refreshed when it changes.
 * Each room's periods start at an offset of their own, so rooms do not all refresh in the same
 * second.
 */
export function presencePeriod(now: number, sessionId: string): number {
  let h = 0;
  for (let i = 0; i < sessionId.length; i++) h = (h * 31 + sessionId.charCodeAt(i)) % PRESENCE_PERIOD_MS;
  return Math.floor((now + h) / PRESENCE_PERIOD_MS);
}

/** Participants last seen before this are offline as of `asOf`; the refresh asks for exactly them. */
export function offlineBefore(asOf: number): number {
  return asOf - ONLINE_WINDOW_MS;
}

/**
 * The known participants with presence as of a refresh: those the refresh query returned (seen
 * before `offlineBefore(asOf)`) carry their stored lastSeenAt; everyone else was seen since, so
 * their lastSeenAt is at least that bound.
 */
export function withRefreshedPresence<P extends { id: string; lastSeenAt: number }>(known: P[], seenBefore: { id: string; lastSeenAt: number }[], asOf: number): P[] {
  const stale = new Map(seenBefore.map((p) => [p.id, p.lastSeenAt]));
  const bound = offlineBefore(asOf);
  return known.map((p) => ({ ...p, lastSeenAt: stale.get(p.id) ?? Math.max(p.lastSeenAt, bound) }));
}
