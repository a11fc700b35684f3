// The room's AI parts: the suggestion chip (those who run the room see it before the reveal,
// everyone after), the round summary after the reveal (offered to the moderator, and asked for
// by itself when the cards are two or more deck steps apart), and the notes beside the cards.
// Everything the model wrote is rendered as text, never as HTML.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RoomState } from '../../poll.js';
import { aiApi, type SuggestionView, type SummaryView } from '../../ai-api.js';
import { ApiError } from '../../api.js';

const sourceLabel = (source: string | null | undefined) => (source === 'gemini' ? 'by Gemini' : 'from the statistics');

export function SuggestionChip({ state, sessionId }: { state: RoomState; sessionId: string }) {
  const issueId = state.currentIssue?.id;
  const [shown, setShown] = useState<{ suggestion: SuggestionView; source: string | null }>();
  useEffect(() => {
    setShown(undefined);
    if (!issueId) return;
    aiApi(sessionId).suggestion(issueId).then((r) => setShown(r.suggestion ? { suggestion: r.suggestion, source: r.source } : undefined), () => setShown(undefined));
  }, [issueId, state.round, state.revealed, sessionId]);
  if (!shown) return null;
  const { suggestion, source } = shown;
  return (
    <details class="suggestion" aria-label="Suggested estimate">
      <summary><span class="chip">Suggested: {suggestion.estimate}</span> <span class="muted">{sourceLabel(source)}, confidence {Math.round(suggestion.confidence * 100)}%{!state.revealed ? ' · only you see this until the reveal' : ''}</span></summary>
      <p>{suggestion.rationale}</p>
      <ul>{suggestion.basedOn.map((b) => <li key={`${b.key ?? ''}${b.title}`}>{b.key ? `${b.key} ` : ''}{b.title}: {b.finalEstimate}{b.hoursLogged !== undefined ? ` (${b.hoursLogged} h logged)` : ''}</li>)}</ul>
    </details>
  );
}

export function RoundSummary({ state, sessionId }: { state: RoomState; sessionId: string }) {
  const issueId = state.currentIssue?.id;
  const [summary, setSummary] = useState<SummaryView | null>(null);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const asked = useRef('');
  const wide = (state.statistics?.spread?.steps ?? 0) >= 2;
  const key = `${issueId}:${state.round}`;
  const ask = async () => {
    if (!issueId) return;
    asked.current = key;
    setBusy(true); setProblem(undefined);
    try { setSummary((await aiApi(sessionId).summarise(issueId)).summary); } catch (e) { setProblem(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); } finally { setBusy(false); }
  };
  useEffect(() => {
    setSummary(null);
    if (!issueId || !state.revealed) return;
    // Until a summary exists, look for one every few seconds (the moderator may ask for it any time).
    let found = false;
    const look = () => aiApi(sessionId).summary(issueId).then((r) => {
      if (r.summary) { found = true; setSummary(r.summary); return; }
      if (wide && state.me.canModerate && asked.current !== key) void ask();
    }, () => undefined);
    void look();
    const timer = setInterval(() => { if (!found) void look(); }, 2500);
    return () => clearInterval(timer);
  }, [key, state.revealed]);
  if (!state.revealed || !issueId) return null;
  return (
    <section class="round-summary" aria-labelledby="summary-title">
      <h3 id="summary-title">Round summary</h3>
      {summary ? <><p class="summary-text">{summary.text}</p><p class="muted">Written {sourceLabel(summary.source)}.</p></>
        : state.me.canModerate ? <button type="button" class="secondary" disabled={busy} onClick={() => void ask()}>{busy ? 'Summarising…' : 'Summarise this round'}</button>
          : <p class="muted">No summary yet.</p>}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

export function RevealedNotes({ state }: { state: RoomState }) {
  const names = new Map(state.participants.map((p) => [p.id, p.displayName]));
  const notes = (state.votes ?? []).filter((v) => v.note);
  if (!notes.length) return null;
  return (
    <section class="notes" aria-labelledby="notes-title">
      <h3 id="notes-title">Reasons</h3>
      <ul>{notes.map((v) => <li key={v.participantId}><strong>{names.get(v.participantId) ?? 'Someone'}</strong> ({v.value}): {v.note}</li>)}</ul>
    </section>
  );
}

/** The voter's reason for their card: kept with the card, hidden from others until the reveal. */
export function NoteField({ note, disabled, onSave }: { note: string | null; disabled: boolean; onSave: (note: string) => void }) {
  const [text, setText] = useState(note ?? '');
  useEffect(() => { setText(note ?? ''); }, [note]);
  return (
    <div class="note-field">
      <label for="vote-note">Why this card? (optional, shown after the reveal)</label>
      <textarea id="vote-note" maxLength={280} rows={2} value={text} disabled={disabled} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      <button type="button" class="secondary" disabled={disabled || text === (note ?? '')} onClick={() => onSave(text)}>Save reason</button>
    </div>
  );
}
