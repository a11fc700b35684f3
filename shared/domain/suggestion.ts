// An estimate suggestion from the team's own history: the finalized issues most like this one
// (TF-IDF cosine over their words; title words count double, the Jira issue type and each Jira
// component add a token),
// and the card their final estimates point to, weighted by similarity. Optional per-card
// calibration (hours the team's issues of each card really took, issue #19's Insights) can be
// passed in: it then says how long the similar issues' card usually takes. Pure: no I/O.
import { deckValues, NON_ESTIMATES, type Deck } from './decks.js';
import type { CardCalibration } from './insight-stats.js';

export interface HistoryIssue {
  key?: string; title: string; description: string; issueType?: string | null; components?: readonly string[];
  finalEstimate: string; hoursLogged?: number | null;
}
export interface TargetIssue { title: string; description: string; issueType?: string | null; components?: readonly string[] }
/** Hours the team's finalized issues of one card took (median and quartiles), from Insights. */
export type { CardCalibration };
export interface Neighbour { issue: HistoryIssue; score: number }
export interface Suggestion {
  estimate: string;
  /** 0–1: how much of the neighbours' weight is on the card, times how similar they are. */
  confidence: number;
  rationale: string;
  basedOn: { key?: string; title: string; finalEstimate: string; hoursLogged?: number }[];
}

const STOP = new Set('the and for with from into that this when then than have has are was were will would should could not but you your our can all any via per out off its it’s it\'s a an of to in on at by as is be or'.split(' '));
const MIN_SCORE = 0.05;
const COMPONENT_WEIGHT = 1;

export function tokens(text: string): string[] {
  return (text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? [])
    .map((w) => w.replace(/(ing|ed|es|s)$/u, ''))
    .filter((w) => w.length >= 2 && !STOP.has(w));
}

function bag(i: TargetIssue): Map<string, number> {
  const m = new Map<string, number>();
  const add = (t: string, w: number) => m.set(t, (m.get(t) ?? 0) + w);
  for (const t of tokens(i.title)) add(t, 2);
  for (const t of tokens(i.description.slice(0, 2000))) add(t, 1);
  if (i.issueType) add(`type:${i.issueType.toLowerCase()}`, 1.5);
  // A component names the part of the product the work is in: as strong a hint as a title word.
  for (const c of i.components ?? []) add(`component:${c.toLowerCase()}`, COMPONENT_WEIGHT);
  return m;
}

/** The `k` history issues most like the target, best first, above a floor of similarity. */
export function similarIssues(target: TargetIssue, history: readonly HistoryIssue[], k = 5): Neighbour[] {
  const bags = history.map(bag);
  const df = new Map<string, number>();
  for (const b of bags) for (const t of b.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log((1 + history.length) / (1 + (df.get(t) ?? 0))) + 1;
  const vec = (b: Map<string, number>) => new Map([...b].map(([t, w]) => [t, w * idf(t)]));
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
  const q = vec(bag(target));
  const qn = norm(q);
  return bags.map((b, i) => {
    const v = vec(b);
    let dot = 0;
    for (const [t, w] of q) dot += w * (v.get(t) ?? 0);
    return { issue: history[i]!, score: dot / (qn * norm(v)) };
  }).filter((n) => n.score >= MIN_SCORE).sort((a, b) => b.score - a.score).slice(0, k);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The card the calibration says fits `hours` best (nearest median), if any. */
export function cardForHours(hours: number, calibration: readonly CardCalibration[]): string | undefined {
  return [...calibration].filter((c) => c.count > 0).sort((a, b) => Math.abs(a.medianHours - hours) - Math.abs(b.medianHours - hours))[0]?.card;
}

/**
 * The suggestion from similar finalized issues whose final estimate is a card of this deck; null
 * when the team has none similar enough (the room then shows no suggestion).
 */
export function suggestFromHistory(deck: Deck, target: TargetIssue, history: readonly HistoryIssue[], options: { calibration?: readonly CardCalibration[]; k?: number } = {}): Suggestion | null {
  const cards = deckValues(deck).filter((v) => !NON_ESTIMATES.has(v));
  const neighbours = similarIssues(target, history.filter((h) => cards.includes(h.finalEstimate)), options.k ?? 5);
  if (neighbours.length === 0) return null;
  const weight = new Map<string, number>();
  for (const n of neighbours) weight.set(n.issue.finalEstimate, (weight.get(n.issue.finalEstimate) ?? 0) + n.score);
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  // Ties go to the smaller card: a suggestion should not inflate estimates.
  const [estimate, w] = [...weight].sort((a, b) => b[1] - a[1] || cards.indexOf(a[0]) - cards.indexOf(b[0]))[0]!;
  const meanScore = neighbours.reduce((s, n) => s + n.score, 0) / neighbours.length;
  const confidence = round2(Math.min(1, (w / total) * Math.min(1, meanScore * 2)));
  const hours = neighbours.map((n) => n.issue.hoursLogged).filter((h): h is number => typeof h === 'number' && h > 0);
  const parts = [`${neighbours.length} similar finalized issue${neighbours.length === 1 ? '' : 's'}; the closest were estimated ${neighbours.slice(0, 3).map((n) => n.issue.finalEstimate).join(', ')}.`];
  if (hours.length) {
    const sorted = [...hours].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1]!;
    parts.push(`They took about ${round2(median)} hours (median of ${hours.length} with time logged).`);
    const byHours = options.calibration ? cardForHours(median, options.calibration) : undefined;
    if (byHours && byHours !== estimate) parts.push(`By the time they took, the team's ${byHours} usually fits.`);
  }
  const cal = options.calibration?.find((c) => c.card === estimate && c.count > 0);
  if (cal) parts.push(`The team's ${estimate}s usually take ${round2(cal.q1Hours)}–${round2(cal.q3Hours)} hours.`);
  return {
    estimate, confidence, rationale: parts.join(' '),
    basedOn: neighbours.map(({ issue: i }) => ({ ...(i.key ? { key: i.key } : {}), title: i.title, finalEstimate: i.finalEstimate, ...(typeof i.hoursLogged === 'number' ? { hoursLogged: round2(i.hoursLogged) } : {}) })),
  };
}
