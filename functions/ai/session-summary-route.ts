// The session summary for the export, with a version for the client portal that names nobody and
// shows no votes: from Gemini in one answer (its input holds titles, final estimates and round
// counts only), or statistical. Asked once per state of the session: concurrent moderators share
// one model call (the claim of once.ts), and asking again before the session moved on reads the
// stored one. Readers: the JSON (room) and a text file that sits beside results.csv.
import { defineRoute, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { AiSessionPath } from '../../shared/schemas/ai.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { listIssues } from '../../shared/store/issues.js';
import { getSummary, putSessionSummary, sessionSummaryId, type SummaryRecord } from '../../shared/store/summaries.js';
import { deckValues } from '../../shared/domain/decks.js';
import { clientSafeSessionSummary, clientSummaryBasis, sessionSummaryBasis, statisticalSessionSummary } from '../../shared/domain/session-summary.js';
import { sessionSummaryPrompt, SessionSummaryAnswer, type SessionIssueFacts } from '../../shared/domain/ai-prompts.js';
import type { SessionRecord } from '../../shared/store/sessions.js';
import { getAiSettings } from '../../shared/store/ai-settings.js';
import { aiConfig } from '../../shared/config/ai.js';
import { askGemini } from './ask.js';
import { onceForAll } from './once.js';

const iso = (ms: number) => new Date(ms).toISOString();
const view = (s: SummaryRecord) => ({ text: s.text, clientSafeText: s.clientSafeText ?? '', source: s.source, ...(s.model ? { model: s.model } : {}), createdAt: iso(s.createdAt) });

async function make(ctx: HandlerContext, session: SessionRecord, issues: readonly SessionIssueFacts[], basis: string): Promise<SummaryRecord> {
  const { tenantId, deck, name, id: sessionId } = session;
  const asked = issues.length ? await askGemini(ctx, tenantId, 'session-summary', sessionSummaryPrompt(deck, issues), SessionSummaryAnswer) : { ok: false as const };
  const record: SummaryRecord = {
    tenantId, sessionId, issueId: null, round: null, createdAt: ctx.now, basis, clientBasis: clientSummaryBasis(name, issues),
    ...(asked.ok
      ? { text: asked.value.text, clientSafeText: asked.value.clientText, source: 'gemini' as const, model: asked.model }
      : { text: statisticalSessionSummary(name, issues), clientSafeText: clientSafeSessionSummary(name, issues), source: 'statistical' as const, model: null }),
  };
  await putSessionSummary(sessionSummaryId(sessionId), record); // stored before the claim ends
  return record;
}

const factsOf = async (session: SessionRecord): Promise<SessionIssueFacts[]> =>
  (await listIssues(session.id, session.tenantId)).sort((a, b) => a.order - b.order).map((i) => ({ title: i.title, finalEstimate: i.finalEstimate, rounds: i.rounds }));

const summarise = defineRoute({
  method: 'POST', path: '/api/ai/sessions/:sessionId/summary', permission: 'session.moderate', params: AiSessionPath,
  async handler({ params }, ctx) {
    const session = (await loadSessionFor(ctx, 'session.moderate', params.sessionId)).stored.record;
    const issues = await factsOf(session);
    // Turning AI on is a new basis too: the statistical summary made while it was off is asked anew.
    const aiOn = (await getAiSettings(session.tenantId)).enabled;
    const basis = sessionSummaryBasis(session.name, deckValues(session.deck), issues, aiOn);
    const id = sessionSummaryId(session.id);
    // A fallback while AI is on (a safety block, a timeout) answers those asking at once, not a
    // moderator asking again once the model call is over: they get Gemini asked again.
    const fallbackKeptMs = aiConfig(ctx.config).timeoutMs + 10_000;
    const current = async () => {
      const s = await getSummary(id, session.tenantId);
      const stale = s?.basis !== basis || (aiOn && s.source === 'statistical' && ctx.now - s.createdAt >= fallbackKeptMs);
      return stale ? undefined : s;
    };
    const { value, made } = await onceForAll(ctx, { id: `${id}_${basis}`, tenantId: session.tenantId, sessionId: session.id }, current, () => make(ctx, session, issues, basis));
    return { status: made ? 201 : 200, body: { summary: view(value) } };
  },
});

/**
 * The stored summary, and whether the session changed since it was written (an issue added,
 * estimated, re-voted or renamed): the export must not pass an old total off as the session's.
 * Turning AI on or off alone does not make its content wrong.
 */
async function storedSummary(ctx: HandlerContext, sessionId: string) {
  const session = (await loadSessionFor(ctx, 'session.read', sessionId)).stored.record;
  const [summary, issues] = await Promise.all([getSummary(sessionSummaryId(session.id), session.tenantId), factsOf(session)]);
  const bases = [true, false].map((aiOn) => sessionSummaryBasis(session.name, deckValues(session.deck), issues, aiOn));
  return { session, summary, outOfDate: !!summary && !bases.includes(summary.basis ?? '') };
}

const read = defineRoute({
  method: 'GET', path: '/api/ai/sessions/:sessionId/summary', permission: 'session.read', params: AiSessionPath,
  async handler({ params }, ctx) {
    const { summary, outOfDate } = await storedSummary(ctx, params.sessionId);
    return { body: { summary: summary ? { ...view(summary), outOfDate } : null } };
  },
});

/** The export's companion to results.csv: a plain-text file (no cells, so nothing to defuse). */
const download = defineRoute({
  method: 'GET', path: '/api/ai/sessions/:sessionId/summary.txt', permission: 'session.read', params: AiSessionPath,
  async handler({ params }, ctx) {
    const { session, summary, outOfDate } = await storedSummary(ctx, params.sessionId);
    if (!summary) throw new HttpError('not_found', 'This session has no summary yet; its moderator can ask for one in the room.');
    const by = summary.source === 'gemini' ? `Gemini (${summary.model})` : 'Reckon (statistical)';
    const warning = outOfDate ? ['This summary is out of date: the session changed after it was written (results.csv has the current estimates). Ask for a new one in the room.'] : [];
    const text = [`Session: ${session.name}`, `Summary by ${by}, ${iso(summary.createdAt)}`, ...warning, '', summary.text, '', 'For the client (no names, no votes):', summary.clientSafeText ?? '', ''].join('\r\n');
    const filename = `${session.name.replace(/[^A-Za-z0-9 _-]/g, '').trim().replace(/\s+/g, '-') || 'session'}-summary.txt`;
    return { raw: { contentType: 'text/plain; charset=utf-8', text }, headers: { 'Content-Disposition': `attachment; filename="${filename}"` } };
  },
});

export const sessionSummaryRoutes = [summarise, read, download];
