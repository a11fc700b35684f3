// What a revealed round says: distribution, and for numeric decks average, median and spread.
import { deckValues, isNumericDeck, numericValue, NON_ESTIMATES, type Deck } from './decks.js';

export interface RoundStatistics {
  /** Every card played, in deck order, with how many played it. */
  distribution: { value: string; count: number }[];
  votes: number;
  /** Numeric decks only; null when no numeric card was played. */
  average: number | null;
  median: number | null;
  /** Every estimate is the same and nobody played '?' ('☕' abstains without breaking it). */
  consensus: boolean;
  /** Lowest and highest estimate, and how many deck steps apart they are. */
  spread: { lowest: string; highest: string; steps: number } | null;
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function roundStatistics(deck: Deck, values: readonly string[]): RoundStatistics {
  const order = deckValues(deck);
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distribution = order.filter((v) => counts.has(v)).map((value) => ({ value, count: counts.get(value)! }));
  const estimates = values.filter((v) => !NON_ESTIMATES.has(v));
  const positions = estimates.map((v) => order.indexOf(v)).filter((i) => i >= 0).sort((a, b) => a - b);
  const numbers = isNumericDeck(deck) ? estimates.map(numericValue).filter((n): n is number => n !== undefined).sort((a, b) => a - b) : [];
  return {
    distribution,
    votes: values.length,
    average: numbers.length ? round2(numbers.reduce((a, b) => a + b, 0) / numbers.length) : null,
    median: isNumericDeck(deck) ? median(numbers) : null,
    consensus: estimates.length > 0 && new Set(estimates).size === 1 && !values.includes('?'),
    spread: positions.length ? { lowest: order[positions[0]!]!, highest: order[positions[positions.length - 1]!]!, steps: positions[positions.length - 1]! - positions[0]! } : null,
  };
}
