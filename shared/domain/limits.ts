// Limits that several parts of Reckon enforce alike.

/** A session's agenda is capped so that one batch can still reorder it. */
export const MAX_ISSUES_PER_SESSION = 400;

/** A team's open sessions: enough for any real team, and a bound on what one team can store. */
export const MAX_OPEN_SESSIONS_PER_TEAM = 200;
