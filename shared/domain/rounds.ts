// Whether a vote may be cast or retracted now, and whether everyone has voted.
import { isInDeck, type Deck } from './decks.js';

export interface RoundState {
  status: 'open' | 'closed';
  currentIssueId: string | null;
  round: number;
  revealed: boolean;
  deck: Deck;
}

export type VoteRefusal = 'session_closed' | 'not_current_issue' | 'stale_round' | 'round_revealed' | 'value_not_in_deck';

/** The reason a vote (or a retraction, with `value` null) is refused, or undefined when it may be recorded. */
export function refuseVote(state: RoundState, vote: { issueId: string; round: number; value: string | null }): VoteRefusal | undefined {
  if (state.status !== 'open') return 'session_closed';
  if (state.currentIssueId === null || vote.issueId !== state.currentIssueId) return 'not_current_issue';
  if (vote.round !== state.round) return 'stale_round';
  if (state.revealed) return 'round_revealed';
  if (vote.value !== null && !isInDeck(state.deck, vote.value)) return 'value_not_in_deck';
  return undefined;
}

export interface ParticipantRole { id: string; role: 'voter' | 'spectator' }

/** True when there is at least one voter and every voter has a vote in the round. */
export function everyoneHasVoted(participants: readonly ParticipantRole[], votedIds: ReadonlySet<string>): boolean {
  const voters = participants.filter((p) => p.role === 'voter');
  return voters.length > 0 && voters.every((p) => votedIds.has(p.id));
}
