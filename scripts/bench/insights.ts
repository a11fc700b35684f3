// The insights phase of `npm run bench` (issue #19): what opening the insights page costs in
// Firestore reads, counted at the emulator, for a team with 100 and with 10,000 finalized issues.
// The history is written straight into Firestore (as sessions estimated before insights existed)
// and the aggregates are built by the real backfill job; the page is then read over HTTP.
import { Firestore, Timestamp } from '@google-cloud/firestore';
import type { Metrics } from '../../emulator/src/engine.js';
import { runInsightsBackfill } from '../../shared/jobs/insights-backfill.js';
import { newOwner } from './rooms.js';

const PER_SESSION = 400;
const CARDS = ['1', '2', '3', '5', '8', '13'];
const MONTH_MS = 30 * 86_400_000;

async function seedHistory(projectId: string, tenantId: string, ownerUid: string, issues: number): Promise<void> {
  const db = new Firestore({ projectId });
  const now = Date.now();
  for (let s = 0; s * PER_SESSION < issues; s++) {
    const session = db.collection('sessions').doc();
    const at = Timestamp.fromMillis(now - ((s % 11) + 1) * MONTH_MS);
    await session.set({
      tenantId, clientId: null, name: `History ${s}`, ownerUid, deck: { name: 'fibonacci' }, status: 'closed', autoReveal: false, joinCode: `BENCH${s}`,
      currentIssueId: null, round: 0, revealed: false, stateVersion: 1, issuesVersion: 1, participantsVersion: 1, issueCount: 0, nextIssueOrder: 0, createdAt: at, updatedAt: at,
    });
    const count = Math.min(PER_SESSION, issues - s * PER_SESSION);
    const batch = db.batch();
    for (let i = 0; i < count; i++) {
      const card = CARDS[(s * PER_SESSION + i) % CARDS.length]!;
      const key = `HIST-${s * PER_SESSION + i + 1}`;
      batch.set(session.collection('issues').doc(), {
        tenantId, title: `Issue ${key}`, description: '', order: i, rounds: 1, finalEstimate: card, estimatedAt: at, createdAt: at,
        jira: { key, url: `https://bench.atlassian.net/browse/${key}`, status: i % 5 ? 'Done' : 'In Progress', timeSpentSeconds: i % 4 ? Number(card) * 3600 * (0.5 + (i % 7) / 5) : null },
      });
    }
    await batch.commit();
  }
  await db.terminate();
}

/** Reads of one insights page load, for each history size. */
export async function measureInsightsReads(url: string, projectId: string, takeMetrics: () => Promise<Metrics>, sizes = [100, 10_000]): Promise<{ issues: number; reads: number; ms: number }[]> {
  const out = [];
  for (const issues of sizes) {
    const owner = await newOwner(url, 1000 + issues);
    const me = await owner.json('GET', '/api/auth/me');
    const tenantId = me.memberships[0].tenantId as string;
    await seedHistory(projectId, tenantId, me.user.uid, issues);
    for (let run = 0; run < 100; run++) if ((await runInsightsBackfill(Date.now(), { maxSessions: 100 })).done) break;
    const page = await owner.json('GET', `/api/insights?tenantId=${tenantId}`);
    if (page.coverage.finalized !== issues) throw new Error(`insights count ${page.coverage.finalized} finalized issues, not ${issues}`);
    await takeMetrics();
    const reads: number[] = [], ms: number[] = [];
    for (let n = 0; n < 5; n++) {
      const res = await owner.request('GET', `/api/insights?tenantId=${tenantId}`);
      if (res.status !== 200) throw new Error(`insights → ${res.status}`);
      ms.push(res.ms);
      reads.push((await takeMetrics()).documentReads);
    }
    out.push({ issues, reads: Math.max(...reads), ms: ms.sort((a, b) => a - b)[2]! });
  }
  return out;
}
