// The estimate suggestion from the team's history. Before the reveal only those who run the room
// get it (a suggestion seen by voters would anchor their cards); everyone in the room after.
import { defineRoute } from '../../shared/http/router.js';
import { AiIssuePath } from '../../shared/schemas/ai.js';
import { listEstimatedIssues } from '../../shared/store/issues.js';
import { similarIssues, suggestFromHistory, type HistoryIssue } from '../../shared/domain/suggestion.js';
import { estimateCards, suggestionAnswer, suggestionPrompt } from '../../shared/domain/ai-prompts.js';
import { teamCalibration } from '../../shared/rooms/team-calibration.js';
import { askGemini } from './ask.js';
import { onceForAll } from './once.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { getAiSettings } from '../../shared/store/ai-settings.js';
import { getSuggestion, putSuggestion, suggestionId, type StoredSuggestion } from '../../shared/store/summaries.js';
import { isRevealed, jiraFacts, loadIssueFor, targetOf } from './issue-facts.js';

/**
 * Gemini's suggestion for the issue, asked once and kept: at the reveal every browser in the room
 * fetches the suggestion, and each fetch must not spend a model call of the team's daily quota.
 */
async function askOnce(ctx: HandlerContext, tenantId: string, sessionId: string, issueId: string, ask: () => Promise<StoredSuggestion | null>): Promise<StoredSuggestion | null> {
  if (!(await getAiSettings(tenantId)).enabled) return null;
  const id = suggestionId(sessionId, issueId);
  const { value } = await onceForAll(ctx, { id, tenantId, sessionId }, () => getSuggestion(id, tenantId), async () => {
    const asked = await ask();
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
    const [estimated, calibration] = await Promise.all([listEstimatedIssues(tenantId), teamCalibration(tenantId, ctx.now)]);
    // One client never sees another's work: the history is the issues estimated for this session's
    // client (or, without one, for no client). The calibration is hours per card only, team-wide.
    const clientId = stored.record.clientId ?? null;
    const history: HistoryIssue[] = estimated
      .filter((l) => !(l.sessionId === params.sessionId && l.issue.id === issue.id) && (l.issue.insight?.clientId ?? null) === clientId)
      .map(({ issue: i }) => {
        const j = jiraFacts(i);
        return { ...(j.key ? { key: j.key } : {}), title: i.title, description: i.description, issueType: j.issueType, finalEstimate: i.finalEstimate!, hoursLogged: j.hoursLogged };
      });
    const target = targetOf(issue);
    const statistical = suggestFromHistory(deck, target, history, { calibration });
    if (!statistical) return { body: { suggestion: null, source: 'statistical', hiddenUntilReveal: false } };
    const cards = estimateCards(deck);
    const neighbours = similarIssues(target, history.filter((h) => cards.includes(h.finalEstimate)));
    const gemini = await askOnce(ctx, tenantId, params.sessionId, issue.id, async () => {
      const asked = await askGemini(ctx, tenantId, 'suggestion', suggestionPrompt(deck, target, neighbours, calibration), suggestionAnswer(deck));
      return asked.ok ? { ...asked.value, model: asked.model } : null;
    });
    const answer = gemini && cards.includes(gemini.estimate) ? gemini : null;
    const chosen = answer ? { ...statistical, estimate: answer.estimate, confidence: answer.confidence, rationale: answer.rationale } : statistical;
    return { body: { suggestion: chosen, source: answer ? 'gemini' : 'statistical', ...(answer ? { model: answer.model } : {}), hiddenUntilReveal: false } };
  },
});

export const suggestionRoutes = [suggestion];
