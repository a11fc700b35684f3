// What a revealed round says, for the summary panel: where the team agrees, who is out (as
// "Voter n", never a name) and what their notes say, and what to settle before a re-vote. The
// statistical summary is computed here from the cards and notes; Gemini's (functions/ai) gets the
// same anonymised facts. Pure.
import { deckValues, NON_ESTIMATES, type Deck } from './decks.js';
import { roundStatistics, type RoundStatistics } from './statistics.js';
import { capText } from './text.js';

export const NOTE_MAX = 280;
export const SUMMARY_MAX = 1200;

export interface RevealedCard { value: string; note: string | null }
/** A card as it leaves Reckon: the voter is a number, in an order that says nothing about who. */
export interface AnonymousCard { voter: string; value: string; note: string | null }

/** Orders the cards by deck position then note, and names the voters "Voter 1", "Voter 2", … in that order. */
export function anonymise(deck: Deck, cards: readonly RevealedCard[]): AnonymousCard[] {
  const order = deckValues(deck);
  return [...cards].sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value) || (a.note ?? '').localeCompare(b.note ?? ''))
    .map((c, i) => ({ voter: `Voter ${i + 1}`, value: c.value, note: c.note }));
}

/** Control characters out, whitespace collapsed, length capped: the model's or a voter's text shown as plain text. */
export function plainText(text: string, max: number): string {
  return capText(text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim(), max, '…');
}

const quote = (c: AnonymousCard) => (c.note ? `${c.voter} (${c.value}): "${plainText(c.note, 120)}"` : `${c.voter} (${c.value})`);

/** The statistical summary of a revealed round. */
export function statisticalRoundSummary(deck: Deck, cards: readonly AnonymousCard[]): { text: string; statistics: RoundStatistics } {
  const statistics = roundStatistics(deck, cards.map((c) => c.value));
  if (cards.length === 0) return { statistics, text: 'No cards were played in this round.' };
  const estimates = cards.filter((c) => !NON_ESTIMATES.has(c.value));
  const top = [...statistics.distribution].filter((d) => !NON_ESTIMATES.has(d.value)).sort((a, b) => b.count - a.count)[0];
  const parts: string[] = [];
  if (statistics.consensus) parts.push(`Everyone who estimated agrees on ${top!.value}.`);
  else if (top) parts.push(`${top.count} of ${estimates.length} estimates are ${top.value}${statistics.spread ? `; they range from ${statistics.spread.lowest} to ${statistics.spread.highest} (${statistics.spread.steps} deck steps)` : ''}.`);
  const outliers = statistics.spread && statistics.spread.steps >= 2 ? estimates.filter((c) => c.value === statistics.spread!.lowest || c.value === statistics.spread!.highest) : [];
  if (outliers.length) parts.push(`At the edges: ${outliers.map(quote).join('; ')}.`);
  const unsure = cards.filter((c) => c.value === '?');
  if (unsure.length) parts.push(`${unsure.length} could not estimate${unsure.some((c) => c.note) ? `: ${unsure.filter((c) => c.note).map(quote).join('; ')}` : ''}.`);
  const others = cards.filter((c) => c.note && !outliers.includes(c) && !unsure.includes(c));
  if (others.length) parts.push(`Other notes: ${others.map(quote).join('; ')}.`);
  if (!statistics.consensus && statistics.spread && statistics.spread.steps >= 2) parts.push('Before re-voting, let the lowest and highest explain what they assumed about scope and risk.');
  else if (!statistics.consensus) parts.push('The estimates are close; the team may settle on the most common card.');
  return { statistics, text: plainText(parts.join(' '), SUMMARY_MAX) };
}
