// Rate limits shared by every function: a route names its limits; each is a key (by IP, by
// account, by principal) with a maximum per fixed window. Over the limit: 429 with Retry-After.
// Limits are counted in Firestore, except on the hot path (votes), where a per-instance count
// keeps a vote at one document write (docs/decisions.md, "Rate limits on the hot path").
import { createHash } from 'node:crypto';
import { HttpError } from './errors.js';
import { countInWindow, type WindowCount } from '../store/rate-limits.js';

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

/** Counts the request against each limit; throws rate_limited when one is exceeded. */
export async function enforceRateLimits(keys: RateLimitKey[], now: number): Promise<void> {
  const counts = await Promise.all(keys.map(async (k) => {
    const key = `${k.limit.name}:${k.subject}`;
    return k.limit.perInstance ? countLocally(key, k.limit.windowS, now) : countInWindow(key, k.limit.windowS, now);
  }));
  counts.forEach((c, i) => {
    if (c.count > keys[i]!.limit.max) {
      throw new HttpError('rate_limited', 'Too many requests; try again later.', { retryAfterS: Math.max(1, Math.ceil((c.windowEndsAt - now) / 1000)) });
    }
  });
}
