// The estimate suggestion from the team's history. Before the reveal only those who run the room
// get it (a suggestion seen by voters would anchor their cards); everyone in the room after.
// The statistical suggestion is kept per issue (statistical-suggestion.ts), Gemini's per issue too:
// a room fetching it at the reveal costs a few document reads each, not the team's history.
import { defineRoute } from '../../shared/http/router.js';
import { AiIssuePath } from '../../shared/schemas/ai.js';
import { estimateCards, suggestionAnswer, suggestionPrompt } from '../../shared/domain/ai-prompts.js';
import { askGemini } from './ask.js';
import { onceForAll } from './once.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { getAiSettings } from '../../shared/store/ai-settings.js';
import { getSuggestion, putSuggestion, suggestionId, type StoredSuggestion } from '../../shared/store/summaries.js';
import { isRevealed, loadIssueFor, targetOf } from './issue-facts.js';
import { statisticalSuggestion } from './statistical-suggestion.js';

/**
 * Gemini's suggestion for the issue, asked once and kept: at the reveal every browser in the room
 * fetches the suggestion, and each fetch must not spend a model call of the team's daily quota.
 */
async function askOnce(ctx: HandlerContext, tenantId: string, sessionId: string, issueId: string, basis: string, ask: () => Promise<Omit<StoredSuggestion, 'basis'> | null>): Promise<StoredSuggestion | null> {
  if (!(await getAiSettings(tenantId)).enabled) return null;
  const id = suggestionId(sessionId, issueId);
  // Kept for what it was asked from: an edited issue or a history with other neighbours asks anew.
  const current = async () => { const s = await getSuggestion(id, tenantId); return s?.basis === basis ? s : undefined; };
  const { value } = await onceForAll(ctx, { id: `${id}_${basis}`, tenantId, sessionId }, current, async () => {
    const made = await ask();
    const asked = made && { ...made, basis };
    if (asked) await putSuggestion(id, tenantId, sessionId, issueId, asked, ctx.now); // stored before the claim ends
    return asked;
  });
  return value;
}

const suggestion = defineRoute({
  method: 'GET', path: '/api/ai/sessions/:sessionId/issues/:issueId/suggestion', permission: 'session.participate', params: AiIssuePath,
  async handler({ params }, ctx) {
    const { stored, room, issue } = await loadIssueFor(ctx, 'session.participate', params.sessionId, params.issueId);
    if (!isRevealed(stored, issue) && !room.canModerate) return { body: { suggestion: null, source: null, hiddenUntilReveal: true } };
    const { deck, tenantId } = stored.record;
    // The insights' calibration (hours each card really took) weighs the history's logged time.
    const { kept, calibration, neighbours } = await statisticalSuggestion(ctx, stored.record, issue);
    const statistical = kept.suggestion;
    if (!statistical) return { body: { suggestion: null, source: 'statistical', hiddenUntilReveal: false } };
    const cards = estimateCards(deck);
    const gemini = await askOnce(ctx, tenantId, params.sessionId, issue.id, kept.basis, async () => {
      const asked = await askGemini(ctx, tenantId, 'suggestion', suggestionPrompt(deck, targetOf(issue), neighbours, calibration), suggestionAnswer(deck));
      return asked.ok ? { ...asked.value, model: asked.model } : null;
    });
    const answer = gemini && cards.includes(gemini.estimate) ? gemini : null;
    const chosen = answer ? { ...statistical, estimate: answer.estimate, confidence: answer.confidence, rationale: answer.rationale } : statistical;
    return { body: { suggestion: chosen, source: answer ? 'gemini' : 'statistical', ...(answer ? { model: answer.model } : {}), hiddenUntilReveal: false } };
  },
});

export const suggestionRoutes = [suggestion];
