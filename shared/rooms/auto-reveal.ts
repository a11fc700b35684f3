// Auto-reveal: once every voter has a card down, the round reveals by itself (a session option,
// on by default). Checked after each vote and whenever a voter stops voting; two aggregation
// counts, and a write only for the change that completes the round.
import { commitRoomChange, withFreshSession, type StoredSession } from '../store/sessions.js';
import { countVoters } from '../store/participants.js';
import { countRoundVotes } from '../store/votes.js';
import { writeRoundRevealed } from '../store/issues.js';

async function everyoneVoted(s: StoredSession): Promise<boolean> {
  const { id, tenantId, currentIssueId, round } = s.record;
  const [voters, cards] = await Promise.all([countVoters(id, tenantId), countRoundVotes(id, tenantId, currentIssueId!, round)]);
  return voters > 0 && cards >= voters;
}

const mayAutoReveal = (s: StoredSession | undefined, issueId: string, round: number): s is StoredSession =>
  !!s && s.record.autoReveal && s.record.status === 'open' && !s.record.revealed && s.record.currentIssueId === issueId && s.record.round === round;

/** Reveals the round when everyone has voted; true when this call revealed it. */
export async function revealIfEveryoneVoted(seen: StoredSession, now: number): Promise<boolean> {
  const { currentIssueId, round } = seen.record;
  if (!currentIssueId || !mayAutoReveal(seen, currentIssueId, round)) return false;
  if (!(await everyoneVoted(seen))) return false;
  return withFreshSession(seen.record.id, async (s) => {
    if (!mayAutoReveal(s, currentIssueId, round)) return false;
    await commitRoomChange(s, { fields: { revealed: true }, writes: (batch) => writeRoundRevealed(batch, s.record.id, currentIssueId, round) }, now);
    return true;
  }, seen);
}
