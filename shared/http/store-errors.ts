// Firestore's answers that mean "busy, try again" (contention, quota, a deadline, a blip) are
// told to the caller as 503 unavailable with Retry-After, never as a 500 (issue #15, item 4).
import { HttpError } from './errors.js';
import { RoomBusyError } from '../store/sessions.js';

/** gRPC codes: DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNAVAILABLE. */
const TRANSIENT = new Set([4, 8, 10, 14]);

/** Contention (a room changing through every retry, a transaction aborted by another): expected
 *  under load, a warning. A deadline, quota or outage is logged as an error: someone should look. */
export function isContention(e: unknown): boolean {
  return e instanceof RoomBusyError || (e as { code?: unknown } | null)?.code === 10;
}

export function transientStoreError(e: unknown): HttpError | undefined {
  if (e instanceof RoomBusyError) return new HttpError('unavailable', e.toCaller, { retryAfterS: 1 });
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'number' || !TRANSIENT.has(code)) return undefined;
  return new HttpError('unavailable', 'Reckon is busy right now; try again in a moment.', { retryAfterS: 1 });
}
