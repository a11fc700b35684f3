// The agenda: every issue with its final estimate; the moderator picks the one to estimate,
// moves, removes and adds issues (a pasted list becomes one issue per line).
import { useState } from 'preact/hooks';
import type { RoomState } from '../../poll.js';
import { WriteBackNote } from './write-back.js';

export interface AgendaActions {
  estimate: (issueId: string) => void;
  move: (issueId: string, by: -1 | 1) => void;
  remove: (issueId: string) => void;
  add: (text: string) => Promise<boolean>;
}

export function IssueList({ state, actions }: { state: RoomState; actions: AgendaActions }) {
  const [text, setText] = useState('');
  const moderator = state.me.canModerate && state.session.status === 'open';
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await actions.add(text)) setText('');
  };
  return (
    <section aria-labelledby="issues-title" class="panel">
      <h2 id="issues-title">Issues <span class="muted">{state.issues.filter((i) => i.finalEstimate !== null).length} of {state.issues.length} estimated</span></h2>
      {state.issues.length === 0 && <p class="muted">No issues yet.{moderator ? ' Add some below.' : ''}</p>}
      <ol class="issues">
        {state.issues.map((issue, n) => (
          <li key={issue.id} class={issue.id === state.currentIssue?.id ? 'current' : ''} aria-current={issue.id === state.currentIssue?.id ? 'true' : undefined}>
            <span class="issue-title">{issue.jira ? <a href={issue.jira.url} target="_blank" rel="noopener noreferrer">{issue.jira.key}</a> : null} {issue.title}{issue.jira?.status && <span class="muted"> · {issue.jira.status}</span>}{issue.jira?.missing && <span class="muted"> · no longer in Jira</span>}<WriteBackNote sessionId={state.session.id} issue={issue} canRetry={state.me.canModerate} /></span>
            <span class="estimate">{issue.finalEstimate !== null && <><span class="visually-hidden">Estimate: </span>{issue.finalEstimate}</>}</span>
            {issue.approval && <span class={`approval ${issue.approval.decision}`} data-testid="approval">{issue.approval.decision === 'approved' ? 'Approved' : 'Declined'} by {issue.approval.by.displayName}{issue.approval.comment && <q>{issue.approval.comment}</q>}</span>}
            {moderator && (
              <span class="issue-actions">
                {issue.id !== state.currentIssue?.id && <button type="button" class="secondary small" onClick={() => actions.estimate(issue.id)} aria-label={`Estimate ${issue.title}`}>Estimate</button>}
                <button type="button" class="link" disabled={n === 0} onClick={() => actions.move(issue.id, -1)} aria-label={`Move ${issue.title} up`}>↑</button>
                <button type="button" class="link" disabled={n === state.issues.length - 1} onClick={() => actions.move(issue.id, 1)} aria-label={`Move ${issue.title} down`}>↓</button>
                <button type="button" class="link" onClick={() => actions.remove(issue.id)} aria-label={`Remove ${issue.title}`}>✕</button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {moderator && (
        <form onSubmit={submit} class="add-issues">
          <label for="new-issues">Add issues <span class="muted">(one per line; paste a list)</span></label>
          <textarea id="new-issues" rows={3} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          <button type="submit" class="secondary" disabled={!text.trim()}>Add</button>
        </form>
      )}
    </section>
  );
}
