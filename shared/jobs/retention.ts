// The retention job: deletes closed sessions older than their team's setting (default 365 days)
// with everything in them, and records each in the team's audit log. One run at a time (a
// lease); bounded (so many sessions and deletes per run); resumable: queued deletions a stopped
// run left are finished first, and a cursor over tenants says where the next run continues.
import { newId } from '../security/tokens.js';
import { retentionCutoff, retentionDaysOf } from '../domain/retention.js';
import { takeLease, releaseLease, readCursor, saveCursor } from '../store/job-state.js';
import { beginSessionDeletion, continueSessionDeletion, listExpiredSessions, listQueuedDeletions, listTenantsAfter } from '../store/retention.js';

const JOB = 'retention';
const LEASE_MS = 10 * 60_000;
/** Who the audit log names for these deletions (no person did them). */
export const RETENTION_ACTOR = 'system:retention';

export interface RetentionBounds { maxSessions?: number; maxDeletes?: number; maxTenants?: number }
export interface RetentionReport { skipped: boolean; tenants: number; sessions: number; documents: number; resumed: number; done: boolean }

export async function runRetention(now: number, bounds: RetentionBounds = {}): Promise<RetentionReport> {
  const report: RetentionReport = { skipped: false, tenants: 0, sessions: 0, documents: 0, resumed: 0, done: false };
  const maxSessions = bounds.maxSessions ?? 200;
  const maxDeletes = bounds.maxDeletes ?? 20_000;
  const maxTenants = bounds.maxTenants ?? 500;
  const runId = newId();
  if (!(await takeLease(JOB, runId, now, LEASE_MS))) return { ...report, skipped: true };
  try {
    const budgetLeft = () => maxDeletes - report.documents;
    /** Finishes a queued deletion within the budget; false when the budget ran out first. */
    const finish = async (q: Parameters<typeof continueSessionDeletion>[0]) => {
      const r = await continueSessionDeletion(q, budgetLeft());
      report.documents += r.deleted;
      return r.finished;
    };
    // First what a stopped run left half done.
    for (const q of await listQueuedDeletions(maxSessions)) {
      if (!(await finish(q))) return report;
      report.resumed++;
    }
    const tenants = await listTenantsAfter(await readCursor(JOB), maxTenants);
    for (const t of tenants) {
      const days = retentionDaysOf(t.retentionDays);
      const expired = await listExpiredSessions(t.tenantId, retentionCutoff(now, days), maxSessions - report.sessions);
      for (const s of expired) {
        const audit = { tenantId: t.tenantId, at: now, actorUid: RETENTION_ACTOR, action: 'session.deleted' as const, target: { type: 'session' as const, id: s.record.id }, details: { name: s.record.name, reason: 'retention', retentionDays: days } };
        if (!(await beginSessionDeletion(s, audit, now))) continue;
        report.sessions++;
        if (!(await finish({ sessionId: s.record.id, tenantId: t.tenantId, joinCode: s.record.joinCode }))) return report;
      }
      // A tenant with more expired sessions than this run could take is not passed: the next run goes on with it.
      if (report.sessions >= maxSessions) return report;
      report.tenants++;
      await saveCursor(JOB, t.tenantId, now);
    }
    report.done = tenants.length < maxTenants;
    if (report.done) await saveCursor(JOB, null, now);
    return report;
  } finally {
    await releaseLease(JOB, runId);
  }
}
