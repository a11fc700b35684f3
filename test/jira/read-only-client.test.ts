// The Jira client is read-only by construction: jira.js runs for real against a fake Jira Cloud
// site, and whatever Reckon asks, only GET and Jira's read POSTs reach the site.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { getCurrentUser, getFields, searchAndReconsileIssuesUsingJqlPost, countIssues, editIssue, deleteIssue } from 'jira.js/cloud';
import { getAllBoards, getAllSprints, getConfiguration } from 'jira.js/agile';
import { AuthError } from 'jira.js';
import { configure } from '../../shared/config/config.js';
import { jiraClient } from '../../shared/integrations/jira/client.js';
import { JiraAnonymousAnswerError, JiraTimeoutError, JiraWriteRefusedError, READ_POSTS, refuseJiraRequest } from '../../shared/integrations/jira/guarded-fetch.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';

const SITE = 'https://acme-poker.atlassian.net';
const credentials = { siteOrigin: SITE, email: 'mia@acme.example', apiToken: 'ATATT3xFfGF0-test-token' };
let jira: FakeJira;
beforeAll(async () => {
  jira = await startFakeJira({ email: credentials.email, apiToken: credentials.apiToken });
  configure({ ...process.env, RECKON_JIRA_FAKE_URL: jira.url, RECKON_LOG_LEVEL: 'silent' });
});
afterAll(async () => { await jira.close(); });
beforeEach(() => { jira.requests.length = 0; jira.options.redirectTo = undefined; jira.options.delayMs = undefined; });

const onlyReads = () => jira.requests.every((r) => r.method === 'GET' || (r.method === 'POST' && READ_POSTS.includes(r.path)));

describe('reading Jira through jira.js', () => {
  it('runs every read Reckon uses and sends nothing but reads', async () => {
    const client = jiraClient(credentials);
    expect((await getCurrentUser(client)).displayName).toBe('Mia Krystof');
    const fields = await getFields(client);
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Story Points', 'Story point estimate']));
    const first = await searchAndReconsileIssuesUsingJqlPost(client, { jql: 'project = POKER ORDER BY rank', fields: ['summary', 'status'], maxResults: 50 });
    expect(first.issues?.[0]?.key).toBe('POKER-12');
    expect(first.nextPageToken).toBeTruthy();
    const last = await searchAndReconsileIssuesUsingJqlPost(client, { jql: 'project = POKER ORDER BY rank', fields: ['summary'], nextPageToken: first.nextPageToken! });
    expect(last.isLast).toBe(true);
    expect((await countIssues(client, { jql: 'project = POKER' })).count).toBeGreaterThan(0);
    const boards = await getAllBoards(client);
    expect(boards.values?.length).toBeGreaterThan(0);
    await getAllSprints(client, { boardId: 1, state: 'active,future' });
    await getConfiguration(client, { boardId: 1 });
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toHaveLength(8);
    expect(onlyReads()).toBe(true);
    expect(jira.requests.every((r) => r.authorization === `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`)).toBe(true);
  });

  it('refuses a write before anything leaves Reckon', async () => {
    const client = jiraClient(credentials);
    await expect(editIssue(client, { issueIdOrKey: 'POKER-12', fields: { summary: 'changed' } })).rejects.toBeInstanceOf(JiraWriteRefusedError);
    await expect(deleteIssue(client, { issueIdOrKey: 'POKER-12' })).rejects.toBeInstanceOf(JiraWriteRefusedError);
    expect(jira.requests).toEqual([]);
  });

  it('reports bad credentials as jira.js\'s AuthError from /myself', async () => {
    const client = jiraClient({ ...credentials, apiToken: 'wrong' });
    await expect(getCurrentUser(client)).rejects.toBeInstanceOf(AuthError);
  });

  it('takes no answer Jira gave anonymously (a revoked token searches as nobody and finds nothing)', async () => {
    const client = jiraClient({ ...credentials, apiToken: 'revoked' });
    await expect(searchAndReconsileIssuesUsingJqlPost(client, { jql: 'project = POKER', fields: ['summary'] })).rejects.toBeInstanceOf(JiraAnonymousAnswerError);
    await expect(countIssues(client, { jql: 'project = POKER' })).rejects.toBeInstanceOf(JiraAnonymousAnswerError);
    expect(jira.requests.map((r) => r.path)).toEqual(['/rest/api/3/search/jql', '/rest/api/3/search/approximate-count']);
  });

  it('does not follow a redirect, wherever it points', async () => {
    jira.options.redirectTo = 'http://169.254.169.254/computeMetadata/v1/';
    await expect(getFields(jiraClient(credentials))).rejects.toThrow();
    expect(jira.requests).toHaveLength(1);
  });

  it('gives up on a site that does not answer in time', async () => {
    jira.options.delayMs = 500;
    await expect(getFields(jiraClient(credentials, 100))).rejects.toBeInstanceOf(JiraTimeoutError);
  });
});

describe('what may be sent to Jira', () => {
  it.each<[string, string, string | undefined]>([
    ['GET', `${SITE}/rest/api/3/myself`, undefined],
    ['POST', `${SITE}/rest/api/3/search/jql`, undefined],
    ['POST', `${SITE}/rest/api/3/worklog/list`, undefined],
    ['GET', `${SITE}/rest/agile/1.0/board`, undefined],
    ['PUT', `${SITE}/rest/api/3/issue/POKER-1`, 'PUT /rest/api/3/issue/POKER-1 is not a read'],
    ['DELETE', `${SITE}/rest/api/3/issue/POKER-1`, 'DELETE /rest/api/3/issue/POKER-1 is not a read'],
    ['POST', `${SITE}/rest/api/3/issue`, 'POST /rest/api/3/issue is not a read'],
    ['POST', `${SITE}/rest/api/3/search/jql/../../issue`, 'POST /rest/api/3/issue is not a read'],
    ['GET', 'https://evil.example/rest/api/3/myself', `only ${SITE} may be called`],
    ['GET', `${SITE}/secure/admin`, '/secure/admin is not a Jira REST path'],
  ])('%s %s → %s', (method, url, refusal) => {
    expect(refuseJiraRequest(method, new URL(url), SITE)).toBe(refusal);
  });
});
