// What the Reckon app for Jira did with an issue's final estimate: "in Jira ✓", "kept the value
// set by hand", "failed: …" (Jira's words), or waiting for the next run; a moderator can ask for
// another try after a failure or a skip.
import { useState } from 'preact/hooks';
import type { JiraLinkView } from '../../../../shared/domain/jira-link.js';
import { forgeApi } from '../../api.js';
import { writeBackLabel } from './write-back-label.js';

export function WriteBackNote({ sessionId, issue, canRetry }: { sessionId: string; issue: { id: string; finalEstimate: string | null; jira: JiraLinkView | null }; canRetry: boolean }) {
  const [asked, setAsked] = useState(false);
  const label = writeBackLabel(issue.jira?.writeBack ?? null, issue.finalEstimate);
  if (!label) return null;
  const retriable = canRetry && !asked && (label.kind === 'failed' || label.kind === 'kept');
  return (
    <span class={`write-back ${label.kind}`} data-testid="write-back">
      {' · '}{label.text}
      {retriable && <button type="button" class="link" onClick={() => forgeApi.retryWriteBack(sessionId, issue.id).then(() => setAsked(true), () => undefined)}>Retry</button>}
    </span>
  );
}
