// One finalized estimate in the portal: what was estimated, the estimate with its statistical
// summary, the client's current decision, and approve/decline with an optional comment.
import { useState } from 'preact/hooks';
import type { ApprovalView, EstimateView } from '../../../../shared/schemas/portal.js';
import { ApiError } from '../../api.js';
import { portalApi } from '../../portal-api.js';
import { FormError } from '../field.js';

export function ApprovalNote({ approval }: { approval: ApprovalView | null }) {
  if (!approval) return <span class="badge">awaiting decision</span>;
  return (
    <span class={`approval ${approval.decision}`}>
      <span class="badge">{approval.decision}</span> by {approval.by.displayName} on {new Date(approval.at).toLocaleDateString()}
      {approval.comment && <q>{approval.comment}</q>}
    </span>
  );
}

export function EstimateCard({ clientId, estimate, onDecided }: { clientId: string; estimate: EstimateView; onDecided: (e: EstimateView) => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { issue, summary } = estimate;
  const id = `${estimate.sessionId}-${issue.id}`;
  const decide = async (decision: 'approved' | 'declined') => {
    setBusy(true);
    setError(undefined);
    try {
      const { approval } = await portalApi.decide(clientId, estimate, decision, comment);
      setComment('');
      onDecided({ ...estimate, approval });
    } catch (e) {
      setError(e instanceof ApiError ? (e.status === 404 ? 'This estimate is no longer shared with you.' : e.message) : 'Reckon could not be reached.');
    } finally { setBusy(false); }
  };
  return (
    <li class="panel estimate-card" data-testid="estimate" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{issue.jira && <a href={issue.jira.url} target="_blank" rel="noopener noreferrer">{issue.jira.key}</a>} {issue.title}</h3>
      <p class="muted">{estimate.sessionName} · estimated {new Date(estimate.estimatedAt).toLocaleDateString()}</p>
      <p><span class="final">Estimate: <strong>{estimate.finalEstimate}</strong></span>
        <span class="muted"> · {summary.rounds} {summary.rounds === 1 ? 'round' : 'rounds'}, {summary.voters} {summary.voters === 1 ? 'voter' : 'voters'}{summary.consensus ? ', consensus' : ''}{summary.range && summary.range.lowest !== summary.range.highest ? `, cards from ${summary.range.lowest} to ${summary.range.highest}` : ''}</span></p>
      <p><ApprovalNote approval={estimate.approval} /></p>
      <label for={`${id}-comment`}>Comment <span class="muted">(optional)</span></label>
      <textarea id={`${id}-comment`} rows={2} maxLength={2000} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      <FormError message={error} />
      <div class="decide">
        <button type="button" disabled={busy} onClick={() => void decide('approved')} aria-label={`Approve ${issue.title}`}>Approve</button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void decide('declined')} aria-label={`Decline ${issue.title}`}>Decline</button>
      </div>
    </li>
  );
}
