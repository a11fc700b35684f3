// `npm run docs:permissions`: writes the permission table (shared/domain/permissions.ts) and each
// route's permission into docs/api.md, between the permission-table markers. test/access/docs.test.ts
// fails when docs/api.md and the table disagree.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { permissionTableMarkdown } from '../shared/domain/permissions.js';
import type { Route } from '../shared/http/router.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_DOC = path.join(ROOT, 'docs', 'api.md');
const START = '<!-- permission-table:start (npm run docs:permissions writes this) -->';
const END = '<!-- permission-table:end -->';

/** Every function's routes, in the order firebase.json names the functions. */
export async function routeTable(): Promise<Route[]> {
  const rewrites = JSON.parse(fs.readFileSync(path.join(ROOT, 'firebase.json'), 'utf8')).hosting.rewrites as { function?: string | { functionId: string } }[];
  const ids = [...new Set(rewrites.map((r) => (typeof r.function === 'string' ? r.function : r.function?.functionId)).filter((x): x is string => !!x))];
  const routes: Route[] = [];
  for (const id of ids) {
    const mod = await import(path.join(ROOT, 'functions', id, 'routes.ts')) as Record<string, unknown>;
    for (const value of Object.values(mod)) if (Array.isArray(value)) routes.push(...(value as Route[]));
  }
  return routes;
}

export async function permissionSection(): Promise<string> {
  const routes = await routeTable();
  const byRoute = routes.map((r) => `| \`${r.method} ${r.path}\` | \`${r.permission}\` |`);
  return [START, permissionTableMarkdown(), '', '| route | permission |', '|---|---|', ...byRoute, END].join('\n');
}

/** docs/api.md with its permission section replaced by the current one. */
export async function renderedApiDoc(): Promise<string> {
  const doc = fs.readFileSync(API_DOC, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < 0) throw new Error('docs/api.md has no permission-table markers');
  return doc.slice(0, from) + (await permissionSection()) + doc.slice(to + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(API_DOC, await renderedApiDoc());
  console.log('docs/api.md: permission table written');
}
