// Round summaries: after the reveal, the moderator asks (the room offers it on a wide spread);
// everyone in the room reads the stored one. Gemini when the team turned AI on, else, or when it
// fails, the statistical summary.
import { defineRoute, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { AiIssuePath } from '../../shared/schemas/ai.js';
import { listRoundVotes } from '../../shared/store/votes.js';
import { createSummary, getSummary, roundSummaryId, type SummaryRecord } from '../../shared/store/summaries.js';
import { anonymise, statisticalRoundSummary } from '../../shared/domain/round-summary.js';
import { roundSummaryPrompt, RoundSummaryAnswer } from '../../shared/domain/ai-prompts.js';
import { askGemini } from './ask.js';
import { onceForAll } from './once.js';
import type { StoredSession } from '../../shared/store/sessions.js';
import type { IssueRecord } from '../../shared/store/issues.js';
import { isRevealed, lastRevealedRound, loadIssueFor, targetOf } from './issue-facts.js';

export const summaryView = (s: SummaryRecord) => ({
  text: s.text, source: s.source, ...(s.model ? { model: s.model } : {}), round: s.round, createdAt: new Date(s.createdAt).toISOString(),
});

async function summarise(ctx: HandlerContext, sessionId: string, issueId: string) {
  const { stored, issue } = await loadIssueFor(ctx, 'session.moderate', sessionId, issueId);
  const round = lastRevealedRound(issue);
  if (round === undefined || !isRevealed(stored, issue)) throw new HttpError('not_revealed', 'Reveal the cards first; a summary comes after the reveal.');
  const id = roundSummaryId(sessionId, issueId, round);
  const { tenantId } = stored.record;
  const { value, made } = await onceForAll(ctx, { id, tenantId, sessionId }, async () => { const s = await getSummary(id, tenantId); return s && { kept: s, created: false }; }, () => makeSummary(ctx, stored, issue, round, id));
  return { status: made && value.created ? 201 : 200, body: { summary: summaryView(value.kept) } };
}

async function makeSummary(ctx: HandlerContext, stored: StoredSession, issue: IssueRecord, round: number, id: string): Promise<{ kept: SummaryRecord; created: boolean }> {
  const { deck, tenantId, id: sessionId } = stored.record;
  const issueId = issue.id;
  const cards = anonymise(deck, (await listRoundVotes(sessionId, tenantId, issueId, round)).filter((v) => v.value !== null).map((v) => ({ value: v.value!, note: v.note ?? null })));
  const statistical = statisticalRoundSummary(deck, cards).text;
  const asked = cards.length ? await askGemini(ctx, tenantId, 'round-summary', roundSummaryPrompt(deck, targetOf(issue), cards), RoundSummaryAnswer) : { ok: false as const };
  const record: SummaryRecord = {
    tenantId, sessionId, issueId, round, clientSafeText: null, createdAt: ctx.now,
    ...(asked.ok ? { text: asked.value.text, source: 'gemini' as const, model: asked.model } : { text: statistical, source: 'statistical' as const, model: null }),
  };
  const kept = await createSummary(id, record);
  return { kept, created: kept === record };
}

const create = defineRoute({
  method: 'POST', path: '/api/ai/sessions/:sessionId/issues/:issueId/summary', permission: 'session.moderate', params: AiIssuePath,
  handler: ({ params }, ctx) => summarise(ctx, params.sessionId, params.issueId),
});

const read = defineRoute({
  method: 'GET', path: '/api/ai/sessions/:sessionId/issues/:issueId/summary', permission: 'session.participate', params: AiIssuePath,
  async handler({ params }, ctx) {
    const { stored, issue } = await loadIssueFor(ctx, 'session.participate', params.sessionId, params.issueId);
    const round = lastRevealedRound(issue);
    const summary = round === undefined || !isRevealed(stored, issue) ? undefined : await getSummary(roundSummaryId(params.sessionId, params.issueId, round), stored.record.tenantId);
    return { body: { summary: summary ? summaryView(summary) : null } };
  },
});

export const summaryRoutes = [create, read];
