// What the fake Jira site holds: the recorded issues of test/fixtures/jira (real Jira Cloud
// shapes) with the changes a test made "in Jira", a third board that estimates in a custom field
// of its own, and a project BIG of generated issues for searches of many pages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/jira');
export const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export type FakeIssue = { id: string; key: string; fields: Record<string, unknown> } & Record<string, unknown>;

/** Board 3 estimates in "Team effort", a number field that is not one of the site's story-point fields. */
export const EFFORT_BOARD = 3;
export const EFFORT_FIELD = 'customfield_10090';
/** The issues' "Team effort" (board 3's estimate), unlike their story points (POKER-12 5, WEB-3 3, POKER-15 none, POKER-16 8). */
export const EFFORT: Record<string, number | null> = { 'POKER-12': 13, 'WEB-3': 2, 'POKER-15': 5, 'POKER-16': null };

export interface SiteChanges {
  /** Changes made "in Jira" since the fixtures were recorded, by key (merged into `fields`). */
  changed?: Record<string, Record<string, unknown>>;
  /** Keys deleted or moved out of the account's reach: no search finds them, bulk fetch leaves them out. */
  gone?: string[];
  /** The project board 3 (estimating in "Team effort") belongs to, POKER by default; that project's edit screen then has "Team effort" too. */
  effortBoardProject?: string;
  /** How many issues project BIG holds (BIG-1 …), 0 by default. */
  bigProject?: number;
}

const recorded = (): FakeIssue[] => [...fixture('search-jql-page1').issues, ...fixture('search-jql-page2-last').issues];

function generated(n: number): FakeIssue {
  const template = recorded()[2]!;
  return { ...template, id: String(30_000 + n), key: `BIG-${n}`, self: `https://acme-poker.atlassian.net/rest/api/3/issue/${30_000 + n}`,
    fields: { ...template.fields, summary: `Generated issue ${n}`, description: null, customfield_10028: n % 13 } };
}

/** Every issue of the site as it is now: the recorded ones, then project BIG. */
export function siteIssues(changes: SiteChanges): FakeIssue[] {
  const all = [...recorded(), ...Array.from({ length: changes.bigProject ?? 0 }, (_, i) => generated(i + 1))];
  return all.filter((i) => !changes.gone?.includes(i.key))
    .map((i) => ({ ...i, fields: { ...i.fields, [EFFORT_FIELD]: EFFORT[i.key] ?? null, ...changes.changed?.[i.key] } }));
}

/**
 * The boards: the recorded two, and board 3 ("Effort board") estimating in EFFORT_FIELD, a board
 * of project `effortProject` (POKER unless a test moves it). `projectKeyOrId` filters by the
 * board's project as Jira does (`location.projectKey` or `projectId`).
 */
export function boards(effortProject = 'POKER', projectKeyOrId?: string | null): unknown {
  const list = fixture('agile-boards') as { total: number; values: { id: number; name: string; type: string; self: string; location: { projectKey: string; projectId: number } }[] };
  const home = list.values.find((b) => b.location.projectKey === effortProject) ?? list.values[0]!;
  const effort = { ...home, id: EFFORT_BOARD, name: 'Effort board', self: `https://acme-poker.atlassian.net/rest/agile/1.0/board/${EFFORT_BOARD}` };
  const values = [...list.values, effort].filter((b) => !projectKeyOrId || b.location.projectKey === projectKeyOrId || String(b.location.projectId) === projectKeyOrId);
  return { ...list, total: values.length, values };
}

export function boardConfiguration(boardId: number): unknown {
  const config = fixture('agile-board-1-configuration');
  if (boardId !== EFFORT_BOARD) return config;
  return { ...config, id: EFFORT_BOARD, name: 'Effort board', estimation: { type: 'field', field: { fieldId: EFFORT_FIELD, displayName: 'Team effort' } } };
}
