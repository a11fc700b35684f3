// The insights backfill (issue #19): walks every session in id order and gives each finalized
// issue its entry in the insight aggregates, or corrects it (a session estimated before insights
// existed). Idempotent (an issue whose entry is right writes nothing), one run at a time (a
// lease), bounded, and resumable (a cursor says where the next run continues, also after a crash).
import { newId } from '../security/tokens.js';
import { listSessionsAfter, commitBesideRoom, withFreshSession, type StoredSession } from '../store/sessions.js';
import { listIssues, writeIssueUpdate } from '../store/issues.js';
import { takeLease, releaseLease, readCursor, saveCursor } from '../store/job-state.js';
import { prepareInsightWrites } from '../rooms/issue-insights.js';

const JOB = 'insights-backfill';
const LEASE_MS = 10 * 60_000;

export interface BackfillReport { skipped: boolean; sessions: number; issues: number; updated: number; done: boolean }

async function backfillSession(seen: StoredSession, now: number): Promise<{ issues: number; updated: number }> {
  return withFreshSession(seen.record.id, async (s) => {
    if (!s) return { issues: 0, updated: 0 };
    const issues = (await listIssues(s.record.id, s.record.tenantId)).filter((i) => i.finalEstimate !== null || i.insight);
    const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, issues.map((i) => ({ before: i, after: i, clientId: s.record.clientId })));
    if (insight.entries.size === 0) return { issues: issues.length, updated: 0 };
    await commitBesideRoom(s, (batch) => [...insight.entries].reduce((n, [id, e]) => n + writeIssueUpdate(batch, s.record.id, id, { insight: e }), insight.write(batch)), now);
    return { issues: issues.length, updated: insight.entries.size };
  }, seen);
}

export async function runInsightsBackfill(now: number, bounds: { maxSessions?: number } = {}): Promise<BackfillReport> {
  const report: BackfillReport = { skipped: false, sessions: 0, issues: 0, updated: 0, done: false };
  const runId = newId();
  if (!(await takeLease(JOB, runId, now, LEASE_MS))) return { ...report, skipped: true };
  try {
    const max = bounds.maxSessions ?? 200;
    const sessions = await listSessionsAfter(await readCursor(JOB), max);
    for (const s of sessions) {
      const r = await backfillSession(s, now);
      report.sessions++;
      report.issues += r.issues;
      report.updated += r.updated;
      await saveCursor(JOB, s.record.id, now); // a crash after this point resumes with the next session
    }
    report.done = sessions.length < max;
    if (report.done) await saveCursor(JOB, null, now);
    return report;
  } finally {
    await releaseLease(JOB, runId);
  }
}
