// The session summary for the export, with a version for clients that names nobody and shows no
// votes (the statistical one: it is built from titles, final estimates and round counts only).
import { defineRoute } from '../../shared/http/router.js';
import { AiSessionPath } from '../../shared/schemas/ai.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { listIssues } from '../../shared/store/issues.js';
import { putSessionSummary, sessionSummaryId, type SummaryRecord } from '../../shared/store/summaries.js';
import { statisticalSessionSummary } from '../../shared/domain/session-summary.js';
import { sessionSummaryPrompt, SessionSummaryAnswer } from '../../shared/domain/ai-prompts.js';
import { askGemini } from './ask.js';

const sessionSummary = defineRoute({
  method: 'POST', path: '/api/ai/sessions/:sessionId/summary', permission: 'session.moderate', params: AiSessionPath,
  async handler({ params }, ctx) {
    const { stored } = await loadSessionFor(ctx, 'session.moderate', params.sessionId);
    const { tenantId, deck, name } = stored.record;
    const issues = (await listIssues(params.sessionId, tenantId)).sort((a, b) => a.order - b.order).map((i) => ({ title: i.title, finalEstimate: i.finalEstimate, rounds: i.rounds }));
    const statistical = statisticalSessionSummary(name, issues);
    const asked = issues.length ? await askGemini(ctx, tenantId, 'session-summary', sessionSummaryPrompt(deck, issues), SessionSummaryAnswer) : { ok: false as const };
    const record: SummaryRecord = {
      tenantId, sessionId: params.sessionId, issueId: null, round: null, clientSafeText: statistical, createdAt: ctx.now,
      ...(asked.ok ? { text: asked.value.text, source: 'gemini' as const, model: asked.model } : { text: statistical, source: 'statistical' as const, model: null }),
    };
    await putSessionSummary(sessionSummaryId(params.sessionId), record);
    return { status: 201, body: { summary: { text: record.text, clientSafeText: statistical, source: record.source, ...(record.model ? { model: record.model } : {}), createdAt: new Date(record.createdAt).toISOString() } } };
  },
});

export const sessionSummaryRoutes = [sessionSummary];
