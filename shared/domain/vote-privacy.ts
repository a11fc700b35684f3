// Before a round is revealed nobody sees anyone else's card, only that they have voted.

export interface StoredVote { participantId: string; value: string | null }
export interface ParticipantView { id: string; displayName: string; hasVoted: boolean }

/** Participants with a voted mark; never a value. */
export function participantViews(participants: readonly { id: string; displayName: string }[], votes: readonly StoredVote[]): ParticipantView[] {
  const voted = new Set(votes.filter((v) => v.value !== null).map((v) => v.participantId));
  return participants.map((p) => ({ id: p.id, displayName: p.displayName, hasVoted: voted.has(p.id) }));
}

/** The votes a participant may see: all of them once revealed, none before. */
export function visibleVotes(revealed: boolean, votes: readonly StoredVote[]): { participantId: string; value: string }[] | null {
  if (!revealed) return null;
  return votes.filter((v): v is { participantId: string; value: string } => v.value !== null).map((v) => ({ participantId: v.participantId, value: v.value }));
}
