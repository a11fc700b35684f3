// A session's results as CSV: one row per issue with its final estimate and the votes of every
// round. Only revealed rounds show cards: a round that was never revealed (the moderator moved on
// or asked for a re-vote first) stays face down here as in the room, for good. Cells that a
// spreadsheet would run as a formula are defused (OWASP CSV injection).

export interface ResultIssue {
  id: string; title: string; jiraKey: string | null; finalEstimate: string | null; rounds: number;
  /** The rounds whose cards were turned over. */
  revealedRounds: readonly number[];
  /** The client's decision on the final estimate (client portal), if any. */
  approval?: { decision: string; byName: string; comment: string } | null;
}
export interface ResultVote { issueId: string; round: number; participantId: string; value: string | null }

function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function roundText(round: number, revealed: boolean, votes: readonly ResultVote[], names: ReadonlyMap<string, string>): string {
  if (!revealed) return `R${round}: not revealed`;
  const cards = votes.filter((v) => v.value !== null).map((v) => `${names.get(v.participantId) ?? 'someone'}=${v.value}`).sort((a, b) => a.localeCompare(b));
  return `R${round}: ${cards.length ? cards.join(', ') : 'no votes'}`;
}

/** CSV text (RFC 4180, CRLF) with a header row. */
export function resultsCsv(issues: readonly ResultIssue[], votes: readonly ResultVote[], names: ReadonlyMap<string, string>): string {
  const byIssueRound = new Map<string, ResultVote[]>();
  for (const v of votes) {
    const k = `${v.issueId}\u0000${v.round}`;
    byIssueRound.set(k, [...(byIssueRound.get(k) ?? []), v]);
  }
  const rows = [['Issue', 'Key', 'Final estimate', 'Rounds', 'Votes per round', 'Client approval'].map(cell).join(',')];
  for (const issue of issues) {
    const revealed = new Set(issue.revealedRounds);
    const perRound: string[] = [];
    for (let r = 1; r <= issue.rounds; r++) perRound.push(roundText(r, revealed.has(r), byIssueRound.get(`${issue.id}\u0000${r}`) ?? [], names));
    const a = issue.approval;
    const approval = a ? `${a.decision} by ${a.byName}${a.comment ? `: ${a.comment}` : ''}` : '';
    rows.push([issue.title, issue.jiraKey ?? '', issue.finalEstimate ?? '', issue.rounds, perRound.join('; '), approval].map(cell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
