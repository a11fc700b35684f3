// A fake Jira Cloud site for tests: node:http serving the recorded response bodies in
// test/fixtures/jira (copied from ../shared/jira-fixtures, real Jira Cloud shapes) with Jira's
// content type, basic auth checked on /myself as Jira does (elsewhere bad credentials get
// anonymous answers with X-Seraph-LoginReason), and every request recorded so a test can assert
// what Reckon sent. What the site holds: jira-site.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture, siteIssues, boards, boardConfiguration, EFFORT_BOARD, EFFORT_FIELD, type FakeIssue, type SiteChanges } from './jira-site.js';

export { EFFORT_BOARD, EFFORT_FIELD, EFFORT } from './jira-site.js';
export interface RecordedRequest { method: string; path: string; query: URLSearchParams; body: string; authorization: string | undefined }
export interface FakeJira { url: string; requests: RecordedRequest[]; close(): Promise<void>; options: FakeJiraOptions }
export interface FakeJiraOptions extends SiteChanges {
  email: string; apiToken: string; redirectTo?: string; delayMs?: number;
  /** What approximate-count answers, when it lags behind the search (by default the real number). */
  count?: number;
  /** Answer this many requests with the 429 fixture (Retry-After: 5) before serving again. */
  rateLimitNext?: number;
  /** Keys bulk fetch fails to return just now (a retriable error): named by issue id in `issueErrors`. */
  failing?: string[];
  /** Paths the account may not use: answered with Jira's 403 body. */
  forbidden?: string[];
  /** Behave as an Atlassian address with no site behind it: every path answers 404 with an HTML page. */
  noSite?: boolean;
  /** Issues whose edit screen lacks their project's story point field: editmeta leaves it out and a write of it is refused as Jira does. */
  pointsNotOnScreen?: string[];
}

const JSON_TYPE = 'application/json;charset=UTF-8';

function sendError(res: http.ServerResponse, name: string): void {
  const e = fixture(name) as { status: number; headers?: Record<string, string>; body?: unknown; bodyText?: string };
  res.writeHead(e.status, { 'content-type': JSON_TYPE, ...(e.headers ?? {}) });
  res.end(e.bodyText ?? JSON.stringify(e.body));
}

const MYSELF = (email: string) => ({
  self: 'https://acme-poker.atlassian.net/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5',
  accountId: '5b10ac8d82e05b22cc7d4ef5', accountType: 'atlassian', emailAddress: email,
  avatarUrls: { '48x48': 'https://avatar-management.example/48.png', '24x24': 'https://avatar-management.example/24.png', '16x16': 'https://avatar-management.example/16.png', '32x32': 'https://avatar-management.example/32.png' },
  displayName: 'Mia Krystof', active: true, timeZone: 'Europe/Berlin', locale: 'en_US',
});

/** JQL the fake treats as Jira does: unbalanced quotes are a syntax error; ORDER BY alone is unbounded. */
function jqlError(jql: string | undefined): string | undefined {
  if (!jql || /^\s*order by/i.test(jql)) return 'error-400-unbounded-jql';
  if ((jql.match(/"/g) ?? []).length % 2 === 1) return 'error-400-jql-syntax';
  return undefined;
}

/** What a JQL finds: project BIG's generated issues for `project = BIG`, else the recorded ones. */
const matching = (jql: string, options: FakeJiraOptions) => siteIssues(options).filter((i) => /project\s*=\s*BIG\b/i.test(jql) === i.key.startsWith('BIG-'));

/**
 * One page of the enhanced search: the recorded issues in the recorded two pages (with their
 * token), project BIG in pages of at most 100 (Jira's cap when fields are asked for).
 */
function searchPage(jql: string, token: string | undefined, maxResults: number, options: FakeJiraOptions): object {
  const found = matching(jql, options);
  if (!/project\s*=\s*BIG\b/i.test(jql)) {
    const page1 = fixture('search-jql-page1') as { nextPageToken: string; issues: FakeIssue[] };
    const onFirst = new Set(page1.issues.map((i) => i.key));
    if (!token) return { ...page1, issues: found.filter((i) => onFirst.has(i.key)) };
    return { ...fixture('search-jql-page2-last'), issues: found.filter((i) => !onFirst.has(i.key)) };
  }
  const from = token ? Number(Buffer.from(token, 'base64url').toString().split(':')[1]) : 0;
  const size = Math.min(maxResults, 100);
  const isLast = from + size >= found.length;
  return { issues: found.slice(from, from + size), isLast, ...(isLast ? {} : { nextPageToken: Buffer.from(`big:${from + size}`).toString('base64url') }) };
}

function bulkFetch(wanted: string[], options: FakeJiraOptions): object {
  const asked = siteIssues(options).filter((i) => wanted.includes(i.key));
  const failing = asked.filter((i) => options.failing?.includes(i.key));
  // As Jira documents: issues that do not exist (or the account may not see) are simply left
  // out; `issueErrors` names, by issue id, only those it failed to return (a retriable error).
  return { expand: '', issues: asked.filter((i) => !failing.includes(i)), issueErrors: failing.map((i) => ({ id: i.id, errorMessage: 'The issue could not be retrieved, try again later.' })) };
}

function route(req: RecordedRequest, authorized: boolean, options: FakeJiraOptions, res: http.ServerResponse): void {
  const ok = (body: unknown) => { res.writeHead(200, { 'content-type': JSON_TYPE }); res.end(JSON.stringify(body)); };
  const key = `${req.method} ${req.path}`;
  if (options.noSite) { res.writeHead(404, { 'content-type': 'text/html;charset=UTF-8' }); res.end('<!DOCTYPE html><html><body>Your Atlassian Cloud site is currently unavailable.</body></html>'); return; }
  if (options.rateLimitNext) { options.rateLimitNext--; return sendError(res, 'error-429-burst'); }
  if (options.forbidden?.includes(req.path)) return sendError(res, 'error-403-forbidden');
  const body = () => JSON.parse(req.body || '{}') as Record<string, unknown>;
  if (req.path === '/rest/api/3/myself') return authorized ? ok(MYSELF(options.email)) : sendError(res, 'error-401-unauthenticated');
  // Bad credentials elsewhere: Jira answers as it would answer anyone not logged in (200, nothing
  // found) and says why only in this header.
  if (!authorized) res.setHeader('x-seraph-loginreason', 'AUTHENTICATED_FAILED');
  const seen: FakeJiraOptions = authorized ? options : { ...options, gone: siteIssues(options).map((i) => i.key) };
  if (key === 'GET /rest/api/3/field') return ok(fixture('field'));
  if (req.path === '/rest/api/3/search' ) return sendError(res, 'error-410-search-removed');
  if (key === 'GET /rest/api/3/search/jql' || key === 'POST /rest/api/3/search/jql') {
    const jql = req.method === 'GET' ? req.query.get('jql') ?? undefined : body().jql as string | undefined;
    const error = jqlError(jql);
    if (error) return sendError(res, error);
    const token = req.method === 'GET' ? req.query.get('nextPageToken') ?? undefined : body().nextPageToken as string | undefined;
    const maxResults = Number(req.method === 'GET' ? req.query.get('maxResults') ?? 50 : body().maxResults ?? 50);
    return ok(searchPage(jql!, token, maxResults, seen));
  }
  if (key === 'POST /rest/api/3/search/approximate-count') {
    const jql = body().jql as string | undefined;
    const error = jqlError(jql);
    if (error) return sendError(res, error);
    return ok({ count: authorized && options.count !== undefined ? options.count : matching(jql!, seen).length });
  }
  if (key === 'POST /rest/api/3/issue/bulkfetch') return ok(bulkFetch((body().issueIdsOrKeys as string[] | undefined) ?? [], seen));
  const issue = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9_]*-\d+)(\/editmeta)?$/.exec(req.path);
  if (issue && authorized) return issueRoute(req, issue[1]!, issue[2] !== undefined, options, res);
  if (key === 'GET /rest/agile/1.0/board') return ok(boards(options.effortBoardProject, req.query.get('projectKeyOrId')));
  const board = /^\/rest\/agile\/1\.0\/board\/(\d+)\/(sprint|configuration)$/.exec(req.path);
  if (req.method === 'GET' && board && (board[1] === '1' || Number(board[1]) === EFFORT_BOARD)) {
    return ok(board[2] === 'sprint' ? fixture('agile-board-1-sprints') : boardConfiguration(Number(board[1])));
  }
  return sendError(res, 'error-404-issue');
}

/**
 * One issue as the Forge app sees it: read it (optionally some fields), its edit screen's
 * estimation field (POKER: "Story Points", company-managed; WEB: "Story point estimate",
 * team-managed), and an edit that changes the site (recorded in `options.changed`). Reckon's own
 * client never gets here: it is read-only by construction (test/jira/read-only-client.test.ts).
 */
function issueRoute(req: RecordedRequest, key: string, editmeta: boolean, options: FakeJiraOptions, res: http.ServerResponse): void {
  const found = siteIssues(options).find((i) => i.key === key);
  if (!found) return sendError(res, 'error-404-issue');
  const project = key.split('-')[0]!;
  const field = pointsFieldOf(project);
  const onScreen = !options.pointsNotOnScreen?.includes(key);
  const effortOnScreen = options.effortBoardProject === project;
  if (req.method === 'GET' && editmeta) {
    const fields: Record<string, unknown> = { summary: { required: true, schema: { type: 'string', system: 'summary' }, name: 'Summary', key: 'summary', operations: ['set'] } };
    if (onScreen) fields[field.id] = { required: false, schema: { type: 'number', custom: field.custom, customId: Number(field.id.split('_')[1]) }, name: field.name, key: field.id, operations: ['set'] };
    if (effortOnScreen) fields[EFFORT_FIELD] = { required: false, schema: { type: 'number', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float', customId: Number(EFFORT_FIELD.split('_')[1]) }, name: 'Team effort', key: EFFORT_FIELD, operations: ['set'] };
    res.writeHead(200, { 'content-type': JSON_TYPE }); res.end(JSON.stringify({ fields })); return;
  }
  if (req.method === 'GET') {
    const wanted = req.query.get('fields')?.split(',');
    const fields = wanted ? Object.fromEntries(wanted.filter((f) => f in found.fields).map((f) => [f, found.fields[f]])) : found.fields;
    res.writeHead(200, { 'content-type': JSON_TYPE }); res.end(JSON.stringify({ ...found, fields })); return;
  }
  if (req.method === 'PUT') {
    const update = (JSON.parse(req.body || '{}') as { fields?: Record<string, unknown> }).fields ?? {};
    const settable = (f: string) => f === 'summary' || (f === field.id && onScreen) || (f === EFFORT_FIELD && effortOnScreen);
    const refused = Object.keys(update).filter((f) => !settable(f));
    if (refused.length > 0) {
      res.writeHead(400, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify({ errorMessages: [], errors: Object.fromEntries(refused.map((f) => [f, `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`])) }));
      return;
    }
    options.changed = { ...options.changed, [key]: { ...options.changed?.[key], ...update } };
    res.writeHead(204); res.end(); return;
  }
  sendError(res, 'error-404-issue');
}

const pointsFieldOf = (project: string) => (project === 'WEB'
  ? { id: 'customfield_10016', name: 'Story point estimate', custom: 'com.pyxis.greenhopper.jira:jsw-story-points' }
  : { id: 'customfield_10028', name: 'Story Points', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float' });

export async function startFakeJira(options: FakeJiraOptions, port = 0): Promise<FakeJira> {
  const requests: RecordedRequest[] = [];
  // Read per request, so that a test can revoke the token (change `options.apiToken`).
  const expected = () => `Basic ${Buffer.from(`${fake.options.email}:${fake.options.apiToken}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString('utf8'), authorization: req.headers.authorization };
      requests.push(recorded);
      const answer = () => {
        if (fake.options.redirectTo) { res.writeHead(302, { location: fake.options.redirectTo }); res.end(); return; }
        route(recorded, req.headers.authorization === expected(), fake.options, res);
      };
      if (fake.options.delayMs) setTimeout(answer, fake.options.delayMs); else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const fake: FakeJira = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, options,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return fake;
}
