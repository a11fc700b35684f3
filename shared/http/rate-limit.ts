// Rate limits shared by every function: a route names its limits; each is a key (by IP, by
// account, by principal) with a maximum per fixed window. Over the limit: 429 with Retry-After.
// Limits are counted in Firestore, except on the hot path (votes), where a per-instance count
// keeps a vote at one document write (docs/decisions.md, "Rate limits on the hot path"), and on
// the poll, whose Firestore budget is one read at most.
import { createHash } from 'node:crypto';
import { HttpError } from './errors.js';
import { countInWindows, type WindowCount } from '../store/rate-limits.js';
import { log } from './log.js';

export interface RateLimit {
  /** What the counter is for, e.g. 'login:ip'. */
  name: string;
  max: number;
  windowS: number;
  /** Count in this instance's memory instead of Firestore. */
  perInstance?: boolean;
}

export interface RateLimitKey { limit: RateLimit; subject: string }

const MAX_LOCAL_KEYS = 100_000;
const localCounts = new Map<string, { windowStart: number; count: number }>();

function countLocally(key: string, windowS: number, now: number): WindowCount {
  const windowMs = windowS * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const hashed = createHash('sha256').update(key).digest('base64url');
  const entry = localCounts.get(hashed);
  const count = entry && entry.windowStart === windowStart ? entry.count + 1 : 1;
  localCounts.delete(hashed);
  localCounts.set(hashed, { windowStart, count });
  if (localCounts.size > MAX_LOCAL_KEYS) localCounts.delete(localCounts.keys().next().value!);
  return { count, windowEndsAt: windowStart + windowMs };
}

function tooMany(c: WindowCount, now: number): HttpError {
  return new HttpError('rate_limited', 'Too many requests; try again later.', { retryAfterS: Math.max(1, Math.ceil((c.windowEndsAt - now) / 1000)) });
}

/** Counts the request against each limit; throws rate_limited when one is exceeded. */
export async function enforceRateLimits(keys: RateLimitKey[], now: number): Promise<void> {
  const keyOf = (k: RateLimitKey) => `${k.limit.name}:${k.subject}`;
  // In-memory limits first: refused there, the request costs no Firestore at all.
  for (const k of keys.filter((x) => x.limit.perInstance)) {
    const c = countLocally(keyOf(k), k.limit.windowS, now);
    if (c.count > k.limit.max) throw tooMany(c, now);
  }
  const stored = keys.filter((x) => !x.limit.perInstance);
  if (stored.length === 0) return;
  let counts: WindowCount[];
  try {
    counts = await countInWindows(stored.map((k) => ({ key: keyOf(k), windowS: k.limit.windowS, max: k.limit.max })), now);
  } catch (e) {
    // A counter that cannot be written (a document hammered past what Firestore sustains) fails
    // closed: the request is refused as one of too many, never let through uncounted.
    log('WARNING', 'rate limit counter unavailable; request refused', { limits: stored.map((k) => k.limit.name), error: e instanceof Error ? e.message : String(e) });
    throw new HttpError('rate_limited', 'Too many requests; try again in a moment.', { retryAfterS: 5 });
  }
  const over = counts.findIndex((c, i) => c.count > stored[i]!.limit.max);
  if (over >= 0) throw tooMany(counts[over]!, now);
}
