// The estimate suggestion from the team's history. Before the reveal only those who run the room
// get it (a suggestion seen by voters would anchor their cards); everyone in the room after.
// The statistical suggestion is kept per issue (statistical-suggestion.ts), Gemini's per issue too:
// a room fetching it at the reveal costs a few document reads each, not the team's history.
import { fingerprintOf } from '../../shared/domain/fingerprint.js';
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

/** How long "Gemini gave no answer" is kept: past the reveal's burst of fetches, then asked again. */
const NO_ANSWER_KEPT_MS = 300_000;

/**
 * Gemini's suggestion for the issue, asked once and kept: at the reveal every browser in the room
 * fetches the suggestion, and each fetch must not spend a model call of the team's daily quota.
 * Kept for what it was asked from (`basis`, a digest of the prompt): an edited issue or a history
 * with other neighbours asks anew. No answer (a safety block, a timeout) is kept too, for a few minutes: otherwise each
 * browser of the room asks again and waits for the same failure.
 */
async function askOnce(ctx: HandlerContext, tenantId: string, sessionId: string, issueId: string, basis: string, ask: () => Promise<StoredSuggestion | null>): Promise<StoredSuggestion | null> {
  if (!(await getAiSettings(tenantId)).enabled) return null;
  const id = suggestionId(sessionId, issueId);
  const current = async () => {
    const kept = await getSuggestion(id, tenantId);
    if (!kept || kept.basis !== basis || (kept.answer === null && ctx.now - kept.createdAt >= NO_ANSWER_KEPT_MS)) return undefined;
    return kept.answer;
  };
  const { value } = await onceForAll(ctx, { id: `${id}_${basis}`, tenantId, sessionId }, current, async () => {
    const answer = await ask();
    await putSuggestion(id, tenantId, sessionId, issueId, { basis, answer, createdAt: ctx.now }); // stored before the claim ends
    return answer;
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
    const prompt = suggestionPrompt(deck, targetOf(issue), neighbours, calibration);
    // Gemini's answer is kept for this very prompt: a new estimate elsewhere in the team that leaves
    // the issue's neighbours as they were asks nothing; an edit or another neighbour asks anew.
    const basis = fingerprintOf(prompt);
    const gemini = await askOnce(ctx, tenantId, params.sessionId, issue.id, basis, async () => {
      const asked = await askGemini(ctx, tenantId, 'suggestion', prompt, suggestionAnswer(deck));
      return asked.ok ? { ...asked.value, model: asked.model } : null;
    });
    const answer = gemini && cards.includes(gemini.estimate) ? gemini : null;
    const chosen = answer ? { ...statistical, estimate: answer.estimate, confidence: answer.confidence, rationale: answer.rationale } : statistical;
    return { body: { suggestion: chosen, source: answer ? 'gemini' : 'statistical', ...(answer ? { model: answer.model } : {}), hiddenUntilReveal: false } };
  },
});

export const suggestionRoutes = [suggestion];
