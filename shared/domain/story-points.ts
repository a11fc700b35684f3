// Story points live in a custom field whose id differs per site: team-managed projects use
// "Story point estimate" (jsw-story-points), company-managed ones a number field "Story Points".
// A board's estimation field, when known, is the most reliable.

export interface JiraField { id: string; name: string; custom?: boolean; schema?: { custom?: string; type?: string } }

const TEAM_MANAGED = 'com.pyxis.greenhopper.jira:jsw-story-points';

/** Candidate story-point fields, the most likely first. */
export function storyPointFieldIds(fields: readonly JiraField[]): string[] {
  const team = fields.filter((f) => f.schema?.custom === TEAM_MANAGED);
  const company = fields.filter((f) => f.schema?.custom !== TEAM_MANAGED && /^story points$/i.test(f.name.trim()) && (f.schema?.type === 'number' || f.schema?.custom?.endsWith(':float')));
  return [...team, ...company].map((f) => f.id);
}

/** The issue's story points: the board's field first, then the first candidate with a number. */
export function storyPointsOf(issueFields: Record<string, unknown>, candidates: readonly string[], boardFieldId?: string): number | null {
  for (const id of boardFieldId ? [boardFieldId, ...candidates] : candidates) {
    const v = issueFields[id];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}
