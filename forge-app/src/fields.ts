// Which field holds an issue's estimate, per project: Jira Software's "Story point estimate"
// (team-managed projects) or a "Story Points" number field (company-managed), whichever is on the
// issue's edit screen — a field that is not there cannot be written, and Jira would refuse.
import type { Platform } from './platform.js';

const STORY_POINT_TYPES = ['com.pyxis.greenhopper.jira:jsw-story-points', 'com.atlassian.jira.plugin.system.customfieldtypes:float'];
const NAMES = ['story point estimate', 'story points'];

interface EditField { name?: string; schema?: { type?: string; custom?: string }; operations?: string[] }

/** The estimation field of the project (found once per run from an edit screen); null when this screen has none. */
export async function estimationField(p: Platform, key: string, cache: Map<string, string | null>): Promise<string | null> {
  const project = key.split('-')[0]!;
  if (cache.has(project)) return cache.get(project)!;
  const meta = await p.requestJira(`/rest/api/3/issue/${encodeURIComponent(key)}/editmeta`);
  if (meta.status !== 200) return null; // not cached: a passing failure
  const fields = Object.entries((meta.json?.fields ?? {}) as Record<string, EditField>)
    .filter(([, f]) => f.schema?.type === 'number' && STORY_POINT_TYPES.includes(f.schema.custom ?? '') && NAMES.includes((f.name ?? '').toLowerCase()) && (f.operations ?? ['set']).includes('set'))
    // Jira Software's own field first: it is what boards estimate in by default.
    .sort(([, a], [, b]) => NAMES.indexOf((a.name ?? '').toLowerCase()) - NAMES.indexOf((b.name ?? '').toLowerCase()));
  const id = fields[0]?.[0] ?? null;
  // Only a field found is the project's: one issue type's screen may lack it while others have it.
  if (id) cache.set(project, id);
  return id;
}
