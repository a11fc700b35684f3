// A pasted list becomes one issue per line: bullets, numbering and check boxes are dropped, blank
// lines skipped, and a leading Jira-style key ("ABC-123 Title") is kept as part of the title.

export const MAX_TITLE_LENGTH = 200;

export type PastedIssues = { ok: true; titles: string[] } | { ok: false; problem: string };

const LIST_MARKER = /^(?:[-*•·+]|\d{1,3}[.)]|\[[ xX]?\])\s+/;

export function issuesFromPastedText(text: string): PastedIssues {
  const titles: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/\s+/g, ' ').trim();
    // "- [ ] title": a bullet followed by a check box.
    for (let n = 0; n < 2 && LIST_MARKER.test(line); n++) line = line.replace(LIST_MARKER, '').trim();
    if (!line) continue;
    if ([...line].length > MAX_TITLE_LENGTH) return { ok: false, problem: `Line ${i + 1} is longer than ${MAX_TITLE_LENGTH} characters.` };
    titles.push(line);
  }
  if (titles.length === 0) return { ok: false, problem: 'Paste at least one line with a title.' };
  return { ok: true, titles };
}
