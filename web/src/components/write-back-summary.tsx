// A session's write-back on the sessions page: how its final estimates fared in Jira through the
// Reckon app, from the counters the sessions list carries, and "Retry failed" for its moderators.
import { useState } from 'preact/hooks';
import type { WriteBackTally } from '../../../shared/domain/write-back-tally.js';
import { forgeApi } from '../api.js';

/** The words shown, or null when the app reported nothing about the session (pure: tested over HTTP). */
export function writeBackSummaryText(t: WriteBackTally): string | null {
  const parts = [
    t.written > 0 && `in Jira ✓ ${t.written}`,
    t.keptByHand > 0 && `kept the value set by hand ${t.keptByHand}`,
    t.failed > 0 && `failed ${t.failed}`,
    t.pending > 0 && `waiting for the next run ${t.pending}`,
  ].filter((p): p is string => typeof p === 'string');
  return parts.length ? parts.join(' / ') : null;
}

export function WriteBackSummary({ sessionId, tally, canRetry }: { sessionId: string; tally: WriteBackTally; canRetry: boolean }) {
  const [shown, setShown] = useState(tally);
  const [error, setError] = useState<string>();
  const text = writeBackSummaryText(shown);
  if (!text) return null;
  const retry = () => forgeApi.retryFailedWriteBacks(sessionId).then(
    (r) => setShown((t) => ({ ...t, failed: t.failed - r.retried, pending: t.pending + r.retried })),
    () => setError('Could not ask for a retry; try again.'),
  );
  return (
    <span class="write-back-summary muted" data-testid="write-back-summary">
      {' · '}{text}
      {canRetry && shown.failed > 0 && <button type="button" class="link" onClick={retry}>Retry failed</button>}
      {error && <span role="alert"> {error}</span>}
    </span>
  );
}
