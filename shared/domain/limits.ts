// Limits that several parts of Reckon enforce alike.

/** A session's agenda is capped so that one batch can still reorder it. */
export const MAX_ISSUES_PER_SESSION = 400;
