// The moderator's controls for the current round: reveal, re-vote, record the estimate, next issue.
import { useEffect, useState } from 'preact/hooks';
import type { RoomState } from '../../poll.js';
import { NON_ESTIMATES, numericValue } from '../../../../shared/domain/decks.js';

export interface RoundActions {
  reveal: () => void;
  revote: () => void;
  finalize: (estimate: string) => void;
  next: () => void;
}

/** The estimate to offer: the agreed card, else the median rounded up to a deck card. */
function suggestion(state: RoomState): string {
  const stats = state.statistics;
  if (!stats || stats.distribution.length === 0) return '';
  const estimates = stats.distribution.filter((d) => !NON_ESTIMATES.has(d.value));
  if (estimates.length === 1) return estimates[0]!.value;
  if (stats.median !== null) return state.session.deck.values.find((v) => (numericValue(v) ?? -Infinity) >= stats.median!) ?? '';
  return [...estimates].sort((a, b) => b.count - a.count)[0]?.value ?? '';
}

export function ModeratorBar({ state, actions }: { state: RoomState; actions: RoundActions }) {
  const [estimate, setEstimate] = useState('');
  useEffect(() => { setEstimate(suggestion(state)); }, [state.currentIssue?.id, state.round, state.revealed]);
  if (!state.currentIssue) return null;
  return (
    <div class="moderator" role="group" aria-label="Moderator controls">
      {!state.revealed && <button type="button" onClick={actions.reveal}>Reveal cards</button>}
      {state.revealed && <button type="button" class="secondary" onClick={actions.revote}>Vote again</button>}
      <form class="finalize" onSubmit={(e) => { e.preventDefault(); if (estimate.trim()) actions.finalize(estimate.trim()); }}>
        <label for="final-estimate">Final estimate</label>
        <input id="final-estimate" list="deck-values" value={estimate} maxLength={16} onInput={(e) => setEstimate((e.target as HTMLInputElement).value)} />
        <datalist id="deck-values">{state.session.deck.values.map((v) => <option key={v} value={v} />)}</datalist>
        <button type="submit" disabled={!estimate.trim()}>Save estimate</button>
      </form>
      <button type="button" class="secondary" onClick={actions.next}>Next issue</button>
    </div>
  );
}
