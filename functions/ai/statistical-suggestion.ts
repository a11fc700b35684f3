// The statistical suggestion for an issue, kept: computing it reads the team's history (up to 500
// finalized issues), and every browser in the room fetches the suggestion at the reveal. It is
// computed again only when what it was computed from changed: the issue (title, description, Jira
// type and components), the session's client or deck, the team's latest final estimate (a new or
// changed estimate anywhere in the team), or the hours per card; and at the latest after an hour
// (what the digest cannot see: an old issue edited or deleted, hours synced onto an old issue).
import { fingerprintOf } from '../../shared/domain/fingerprint.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { latestEstimateMarker, listEstimatedIssues, type IssueRecord } from '../../shared/store/issues.js';
import type { SessionRecord } from '../../shared/store/sessions.js';
import { getKeptSuggestion, putKeptSuggestion, statisticalSuggestionId, type KeptSuggestion } from '../../shared/store/summaries.js';
import { similarIssues, suggestFromHistory, type HistoryIssue, type Neighbour } from '../../shared/domain/suggestion.js';
import { deckValues } from '../../shared/domain/decks.js';
import { estimateCards } from '../../shared/domain/ai-prompts.js';
import { teamCalibration, type CardCalibration } from '../../shared/rooms/team-calibration.js';
import { jiraFacts, targetOf } from './issue-facts.js';

const KEPT_MS = 3_600_000;

export interface StatisticalSuggestion { kept: KeptSuggestion; calibration: CardCalibration[]; neighbours: Neighbour[] }

async function fromHistory(session: SessionRecord, issue: IssueRecord, calibration: CardCalibration[]) {
  const estimated = await listEstimatedIssues(session.tenantId);
  // One client never sees another's work: the history is the issues estimated for this session's
  // client (or, without one, for no client). The calibration is hours per card only, team-wide.
  const clientId = session.clientId ?? null;
  const history: HistoryIssue[] = estimated
    .filter((l) => !(l.sessionId === session.id && l.issue.id === issue.id) && (l.issue.insight?.clientId ?? null) === clientId)
    .map(({ issue: i }) => {
      const j = jiraFacts(i);
      return { ...(j.key ? { key: j.key } : {}), title: i.title, description: i.description, issueType: j.issueType, components: j.components, finalEstimate: i.finalEstimate!, hoursLogged: j.hoursLogged };
    });
  const target = targetOf(issue);
  const cards = estimateCards(session.deck);
  const neighbours = similarIssues(target, history.filter((h) => cards.includes(h.finalEstimate)));
  return { suggestion: suggestFromHistory(session.deck, target, history, { calibration }), neighbours: neighbours.map((n) => ({ title: n.issue.title, finalEstimate: n.issue.finalEstimate, hoursLogged: n.issue.hoursLogged ?? null, score: n.score })) };
}

/** The kept statistical suggestion if still current, else computed from the history and kept. */
export async function statisticalSuggestion(ctx: HandlerContext, session: SessionRecord, issue: IssueRecord): Promise<StatisticalSuggestion> {
  const id = statisticalSuggestionId(session.id, issue.id);
  const [latest, calibration, kept] = await Promise.all([latestEstimateMarker(session.tenantId), teamCalibration(session.tenantId, ctx.now), getKeptSuggestion(id, session.tenantId)]);
  const basis = fingerprintOf({ target: targetOf(issue), clientId: session.clientId ?? null, deck: deckValues(session.deck), latest, calibration });
  let current = kept && kept.basis === basis && ctx.now - kept.createdAt < KEPT_MS ? kept : undefined;
  if (!current) {
    current = { basis, createdAt: ctx.now, ...(await fromHistory(session, issue, calibration)) };
    await putKeptSuggestion(id, session.tenantId, session.id, issue.id, current);
  }
  const neighbours = current.neighbours.map((n) => ({ issue: { title: n.title, description: '', finalEstimate: n.finalEstimate, hoursLogged: n.hoursLogged }, score: n.score }));
  return { kept: current, calibration, neighbours };
}
