// A session's results as CSV: one row per issue with its final estimate and the votes of every
// round. Cells that a spreadsheet would run as a formula are defused (OWASP CSV injection).

export interface ResultIssue { id: string; title: string; jiraKey: string | null; finalEstimate: string | null; rounds: number }
export interface ResultVote { issueId: string; round: number; participantId: string; value: string }

function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text (RFC 4180, CRLF) with a header row. */
export function resultsCsv(issues: readonly ResultIssue[], votes: readonly ResultVote[], names: ReadonlyMap<string, string>): string {
  const byIssueRound = new Map<string, ResultVote[]>();
  for (const v of votes) {
    const k = `${v.issueId}\u0000${v.round}`;
    byIssueRound.set(k, [...(byIssueRound.get(k) ?? []), v]);
  }
  const rows = [['Issue', 'Key', 'Final estimate', 'Rounds', 'Votes per round'].map(cell).join(',')];
  for (const issue of issues) {
    const perRound: string[] = [];
    for (let r = 1; r <= issue.rounds; r++) {
      const inRound = (byIssueRound.get(`${issue.id}\u0000${r}`) ?? [])
        .map((v) => `${names.get(v.participantId) ?? 'someone'}=${v.value}`)
        .sort((a, b) => a.localeCompare(b));
      perRound.push(`R${r}: ${inRound.length ? inRound.join(', ') : 'no votes'}`);
    }
    rows.push([issue.title, issue.jiraKey ?? '', issue.finalEstimate ?? '', issue.rounds, perRound.join('; ')].map(cell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
