// The write-back's words in the room (pure, so the HTTP-level test can check what the room shows).
import type { WriteBackView } from '../../../../shared/domain/jira-link.js';

export type WriteBackLabel = { kind: 'written' | 'kept' | 'failed' | 'pending'; text: string };

/** null when nothing was reported for the current estimate (or there is none). */
export function writeBackLabel(w: WriteBackView | null, finalEstimate: string | null): WriteBackLabel | null {
  if (!w || finalEstimate === null || w.estimate !== finalEstimate) return null;
  switch (w.status) {
    case 'written': return { kind: 'written', text: 'in Jira ✓' };
    case 'skipped_changed_by_hand': return { kind: 'kept', text: 'kept the value set by hand in Jira' };
    case 'failed': return { kind: 'failed', text: `failed: ${w.message || 'Jira refused the estimate.'}` };
    case 'retry': return { kind: 'pending', text: 'will try again at the next run' };
  }
}
