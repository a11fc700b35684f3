// Which field holds an issue's estimate, per project. First the board's own estimation field
// (Jira Software's board configuration, `estimation.field.fieldId`) when the project's boards
// agree on one; otherwise Jira Software's "Story point estimate" (team-managed projects) or a
// "Story Points" number field (company-managed), whichever is on the edit screen — a field
// that is not there cannot be written, and Jira would refuse.
import type { HttpAnswer, Platform } from './platform.js';

const STORY_POINT_TYPES = ['com.pyxis.greenhopper.jira:jsw-story-points', 'com.atlassian.jira.plugin.system.customfieldtypes:float'];
const NAMES = ['story point estimate', 'story points'];
/** Boards of one project whose configuration is read (a project rarely has more). */
const MAX_BOARDS = 10;

interface EditField { name?: string; schema?: { type?: string; custom?: string }; operations?: string[] }

/**
 * Jira could not answer the agile API just now (rate limit, outage): which field the boards use is
 * unknown, so nothing is kept for the hour and nothing is written into a field that may not be theirs.
 */
export class BoardsUnavailable extends Error {
  constructor(readonly answer: HttpAnswer) { super(`Jira answered ${answer.status} for the project's boards.`); }
}
const passing = (a: HttpAnswer) => a.status === 429 || a.status >= 500;

/**
 * The estimation field the project's boards agree on; null when it has no board, none estimates
 * in a custom field (a time estimate or issue count is not story points), the boards disagree, or
 * the agile API is not available (not Jira Software, no permission): then the edit screen decides.
 * A board whose configuration cannot be read does not count.
 */
export async function boardEstimationField(p: Platform, project: string): Promise<string | null> {
  const list = await p.requestJira(`/rest/agile/1.0/board?projectKeyOrId=${encodeURIComponent(project)}&maxResults=${MAX_BOARDS}`);
  if (passing(list)) throw new BoardsUnavailable(list);
  if (list.status !== 200 || !Array.isArray(list.json?.values)) return null;
  const ids = (list.json.values as { id?: unknown }[]).map((b) => b.id).filter((id): id is number => Number.isSafeInteger(id)).slice(0, MAX_BOARDS);
  const fields = new Set<string>();
  for (const id of ids) {
    const config = await p.requestJira(`/rest/agile/1.0/board/${id}/configuration`);
    if (passing(config)) throw new BoardsUnavailable(config);
    const field = config.status === 200 && config.json?.estimation?.type === 'field' ? config.json.estimation.field?.fieldId : undefined;
    if (typeof field === 'string' && /^customfield_\d+$/.test(field)) fields.add(field);
  }
  return fields.size === 1 ? [...fields][0]! : null;
}

/** How long the app keeps a project's board field in its storage (issue events would ask every time). */
const BOARD_FIELD_TTL_MS = 3_600_000;

/** The board field from app storage while fresh, else asked again (and kept). */
async function rememberedBoardField(p: Platform, project: string): Promise<string | null> {
  const key = `board-field:${project}`;
  const kept = (await p.get(key)) as { field: string | null; at: number } | undefined;
  if (kept && typeof kept.at === 'number' && p.now() - kept.at < BOARD_FIELD_TTL_MS) return kept.field;
  const field = await boardEstimationField(p, project);
  await p.set(key, { field, at: p.now() });
  return field;
}

/** The story-point field on this edit screen, or null. */
async function editScreenField(p: Platform, key: string): Promise<string | null | undefined> {
  const meta = await p.requestJira(`/rest/api/3/issue/${encodeURIComponent(key)}/editmeta`);
  if (meta.status !== 200) return undefined; // a passing failure
  const fields = Object.entries((meta.json?.fields ?? {}) as Record<string, EditField>)
    .filter(([, f]) => f.schema?.type === 'number' && STORY_POINT_TYPES.includes(f.schema.custom ?? '') && NAMES.includes((f.name ?? '').toLowerCase()) && (f.operations ?? ['set']).includes('set'))
    // Jira Software's own field first: it is what boards estimate in by default.
    .sort(([, a], [, b]) => NAMES.indexOf((a.name ?? '').toLowerCase()) - NAMES.indexOf((b.name ?? '').toLowerCase()));
  return fields[0]?.[0] ?? null;
}

/**
 * The estimation field of the project (found once per run); null when neither its boards nor
 * this screen name one. When the boards cannot be read just now, a write (`forWrite`) throws
 * BoardsUnavailable; a read takes the edit screen's field for this once.
 */
export async function estimationField(p: Platform, key: string, cache: Map<string, string | null>, forWrite = false): Promise<string | null> {
  const project = key.split('-')[0]!;
  if (cache.has(project)) return cache.get(project)!;
  let board: string | null;
  try {
    board = await rememberedBoardField(p, project);
  } catch (e) {
    if (forWrite || !(e instanceof BoardsUnavailable)) throw e;
    return (await editScreenField(p, key)) ?? null;
  }
  if (board) { cache.set(project, board); return board; }
  const id = await editScreenField(p, key);
  // Only a field found is the project's: one issue type's screen may lack it while others have it.
  if (id) cache.set(project, id);
  return id ?? null;
}
