// A fake Jira Cloud site for tests: node:http serving the recorded response bodies in
// test/fixtures/jira (copied from ../shared/jira-fixtures, real Jira Cloud shapes) with Jira's
// content type, basic auth checked on /myself as Jira does, and every request recorded so a test
// can assert what Reckon sent.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/jira');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export interface RecordedRequest { method: string; path: string; query: URLSearchParams; body: string; authorization: string | undefined }
export interface FakeJira { url: string; requests: RecordedRequest[]; close(): Promise<void>; options: FakeJiraOptions }
export interface FakeJiraOptions {
  email: string; apiToken: string; redirectTo?: string; delayMs?: number;
  /** What approximate-count answers (the fixture says 4). */
  count?: number;
  /** Answer this many requests with the 429 fixture (Retry-After: 5) before serving again. */
  rateLimitNext?: number;
  /** Changes made "in Jira" since the fixtures were recorded, by key (merged into `fields`). */
  changed?: Record<string, Record<string, unknown>>;
  /** Keys deleted or moved out of the account's reach. */
  gone?: string[];
  /** Paths the account may not use: answered with Jira's 403 body. */
  forbidden?: string[];
  /** Behave as an Atlassian address with no site behind it: every path answers 404 with an HTML page. */
  noSite?: boolean;
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

const ALL_ISSUES = () => [...fixture('search-jql-page1').issues, ...fixture('search-jql-page2-last').issues] as { key: string }[];

/** JQL the fake treats as Jira does: unbalanced quotes are a syntax error; ORDER BY alone is unbounded. */
function jqlError(jql: string | undefined): string | undefined {
  if (!jql || /^\s*order by/i.test(jql)) return 'error-400-unbounded-jql';
  if ((jql.match(/"/g) ?? []).length % 2 === 1) return 'error-400-jql-syntax';
  return undefined;
}

function route(req: RecordedRequest, authorized: boolean, options: FakeJiraOptions, res: http.ServerResponse): void {
  const ok = (body: unknown) => { res.writeHead(200, { 'content-type': JSON_TYPE }); res.end(JSON.stringify(body)); };
  const key = `${req.method} ${req.path}`;
  if (options.noSite) { res.writeHead(404, { 'content-type': 'text/html;charset=UTF-8' }); res.end('<!DOCTYPE html><html><body>Your Atlassian Cloud site is currently unavailable.</body></html>'); return; }
  if (options.rateLimitNext) { options.rateLimitNext--; return sendError(res, 'error-429-burst'); }
  if (options.forbidden?.includes(req.path)) return sendError(res, 'error-403-forbidden');
  const body = () => JSON.parse(req.body || '{}') as Record<string, unknown>;
  if (req.path === '/rest/api/3/myself') return authorized ? ok(MYSELF(options.email)) : sendError(res, 'error-401-unauthenticated');
  if (!authorized) res.setHeader('x-seraph-loginreason', 'AUTHENTICATED_FAILED');
  if (key === 'GET /rest/api/3/field') return ok(fixture('field'));
  if (req.path === '/rest/api/3/search' ) return sendError(res, 'error-410-search-removed');
  if (key === 'GET /rest/api/3/search/jql' || key === 'POST /rest/api/3/search/jql') {
    const jql = req.method === 'GET' ? req.query.get('jql') ?? undefined : body().jql as string | undefined;
    const error = jqlError(jql);
    if (error) return sendError(res, error);
    const token = req.method === 'GET' ? req.query.get('nextPageToken') : body().nextPageToken;
    return ok(fixture(token ? 'search-jql-page2-last' : 'search-jql-page1'));
  }
  if (key === 'POST /rest/api/3/search/approximate-count') {
    const error = jqlError(body().jql as string | undefined);
    if (error) return sendError(res, error);
    return ok({ count: options.count ?? fixture('search-approximate-count').count });
  }
  if (key === 'POST /rest/api/3/issue/bulkfetch') {
    const wanted = (body().issueIdsOrKeys as string[] | undefined) ?? [];
    const issues = ALL_ISSUES().filter((i) => wanted.includes(i.key) && !options.gone?.includes(i.key))
      .map((i) => ({ ...i, fields: { ...(i as { fields?: object }).fields, ...options.changed?.[i.key] } }));
    const missing = wanted.filter((k) => !issues.some((i) => i.key === k));
    return ok({ expand: '', issues, issueErrors: missing.map((k) => ({ errorMessages: [`Issue does not exist or you do not have permission to see it: ${k}`], errors: {}, status: 404 })) });
  }
  if (key === 'GET /rest/agile/1.0/board') return ok(fixture('agile-boards'));
  if (key === 'GET /rest/agile/1.0/board/1/sprint') return ok(fixture('agile-board-1-sprints'));
  if (key === 'GET /rest/agile/1.0/board/1/configuration') return ok(fixture('agile-board-1-configuration'));
  return sendError(res, 'error-404-issue');
}

export async function startFakeJira(options: FakeJiraOptions, port = 0): Promise<FakeJira> {
  const requests: RecordedRequest[] = [];
  const expected = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString('utf8'), authorization: req.headers.authorization };
      requests.push(recorded);
      const answer = () => {
        if (fake.options.redirectTo) { res.writeHead(302, { location: fake.options.redirectTo }); res.end(); return; }
        route(recorded, req.headers.authorization === expected, fake.options, res);
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
