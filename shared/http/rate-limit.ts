// Rate limits shared by every function: a route names its limits; each is a key (by IP, by
// account, by principal) with a maximum per fixed window. Over the limit: 429 with Retry-After.
import { HttpError } from './errors.js';
import { countInWindow } from '../store/rate-limits.js';

export interface RateLimit {
  /** What the counter is for, e.g. 'login:ip'. */
  name: string;
  max: number;
  windowS: number;
}

export interface RateLimitKey { limit: RateLimit; subject: string }

/** Counts the request against each limit; throws rate_limited when one is exceeded. */
export async function enforceRateLimits(keys: RateLimitKey[], now: number): Promise<void> {
  const counts = await Promise.all(keys.map((k) => countInWindow(`${k.limit.name}:${k.subject}`, k.limit.windowS, now)));
  counts.forEach((c, i) => {
    if (c.count > keys[i]!.limit.max) {
      throw new HttpError('rate_limited', 'Too many requests; try again later.', { retryAfterS: Math.max(1, Math.ceil((c.windowEndsAt - now) / 1000)) });
    }
  });
}
