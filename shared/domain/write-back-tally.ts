// How a session's final estimates fared in Jira, as counters kept on the session (issue #21): the
// sessions list reads them with the session, never the issues. An issue counts under the Forge
// app's last outcome while that outcome is about its current final estimate (what the room shows);
// every change to an issue's estimate or outcome moves it between counters with this shift.
import type { RoomIssue } from './room-state.js';

export interface WriteBackTally { written: number; keptByHand: number; failed: number; pending: number }
export type TallyKey = keyof WriteBackTally;
export type TallyShift = Partial<Record<TallyKey, number>>;

export const TALLY_KEYS: readonly TallyKey[] = ['written', 'keptByHand', 'failed', 'pending'];

type Counted = Pick<RoomIssue, 'finalEstimate' | 'jira'>;

/** The counter an issue is in; null when nothing was reported about its current estimate. */
export function tallyKeyOf(issue: Counted | null | undefined): TallyKey | null {
  const w = issue?.jira?.writeBack;
  if (!w || issue!.finalEstimate === null || w.estimate !== issue!.finalEstimate) return null;
  switch (w.status) {
    case 'written': return 'written';
    case 'skipped_changed_by_hand': return 'keptByHand';
    case 'failed': return 'failed';
    case 'retry': return 'pending';
    default: return null;
  }
}

/** The counters' change when an issue goes from `before` to `after` (null: it does not exist). */
export function tallyShift(before: Counted | null, after: Counted | null): TallyShift {
  const from = tallyKeyOf(before);
  const to = tallyKeyOf(after);
  if (from === to) return {};
  return { ...(from && { [from]: -1 }), ...(to && { [to]: 1 }) };
}

/** Several issues' shifts added up (zeros left out). */
export function sumShifts(shifts: readonly TallyShift[]): TallyShift {
  const sum: TallyShift = {};
  for (const s of shifts) for (const k of TALLY_KEYS) if (s[k]) sum[k] = (sum[k] ?? 0) + s[k]!;
  for (const k of TALLY_KEYS) if (sum[k] === 0) delete sum[k];
  return sum;
}

/** The stored counters as the API declares them (a missing or odd value reads as 0, never below). */
export function tallyFrom(stored: unknown): WriteBackTally {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
  return { written: n(s.written), keptByHand: n(s.keptByHand), failed: n(s.failed), pending: n(s.pending) };
}
