// The scheduled trigger: pulls the final estimates of the issues the app asked Reckon about, writes
// each into the issue's estimation field with the app's own permission (asApp, PUT
// /rest/api/3/issue/{key}) when the field is empty or still holds the previous Reckon estimate,
// and reports every outcome back to Reckon (written, skipped because changed by hand, failed with
// Jira's message). An outcome already reported for the same estimate is not tried again unless a
// moderator asked for a retry in Reckon.
import { KEYS_KEY, type Platform } from './platform.js';
import { callReckon } from './reckon.js';
import { BoardsUnavailable, estimationField } from './fields.js';
import { decideWrite, jiraMessage } from './decide.js';

interface Estimate {
  key: string; finalEstimate: string; issueId: string; session: { id: string };
  writeBack: { status: string; estimate: string } | null; lastWrittenEstimate: string | null;
}
export interface Outcome { key: string; sessionId: string; issueId: string; estimate: string; status: 'written' | 'skipped_changed_by_hand' | 'failed'; message: string }

const BATCH = 100;

const due = (e: Estimate) => !e.writeBack || e.writeBack.estimate !== e.finalEstimate || e.writeBack.status === 'retry';

async function writeOne(p: Platform, e: Estimate, fields: Map<string, string | null>): Promise<Outcome> {
  const base = { key: e.key, sessionId: e.session.id, issueId: e.issueId, estimate: e.finalEstimate };
  let field: string | null;
  try {
    field = await estimationField(p, e.key, fields, true);
  } catch (err) {
    if (!(err instanceof BoardsUnavailable)) throw err;
    return { ...base, status: 'failed', message: jiraMessage(err.answer.status, err.answer.json) };
  }
  if (!field) return { ...base, status: 'failed', message: 'No story point field on this issue’s edit screen.' };
  const read = await p.requestJira(`/rest/api/3/issue/${encodeURIComponent(e.key)}?fields=${field}`);
  if (read.status !== 200) return { ...base, status: 'failed', message: jiraMessage(read.status, read.json) };
  const decision = decideWrite(read.json?.fields?.[field] ?? null, e.lastWrittenEstimate, e.finalEstimate);
  if (decision.action === 'invalid') return { ...base, status: 'failed', message: decision.message };
  if (decision.action === 'skip') return { ...base, status: 'skipped_changed_by_hand', message: '' };
  if (decision.action === 'already') return { ...base, status: 'written', message: '' };
  const put = await p.requestJira(`/rest/api/3/issue/${encodeURIComponent(e.key)}`, { method: 'PUT', body: { fields: { [field]: decision.value } } });
  return put.status === 204 || put.status === 200 ? { ...base, status: 'written', message: '' } : { ...base, status: 'failed', message: jiraMessage(put.status, put.json) };
}

/** One run of the scheduled trigger; the outcomes it reported. */
export async function pullEstimates(p: Platform): Promise<Outcome[]> {
  const keys = ((await p.get(KEYS_KEY)) as string[] | undefined) ?? [];
  const fields = new Map<string, string | null>();
  const outcomes: Outcome[] = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const answer = await callReckon(p, 'GET', `/api/forge/estimates?keys=${keys.slice(i, i + BATCH).join(',')}`);
    if (!answer) return outcomes; // not bound
    for (const e of (answer.estimates as Estimate[]).filter(due)) outcomes.push(await writeOne(p, e, fields));
  }
  for (let i = 0; i < outcomes.length; i += BATCH) await callReckon(p, 'POST', '/api/forge/write-back', { outcomes: outcomes.slice(i, i + BATCH) });
  return outcomes;
}
