// Card decks: the built-in ones of DESIGN.md §4 and custom decks, and the numeric meaning of a card.

export const BUILT_IN_DECKS = {
  fibonacci: ['0', '1', '2', '3', '5', '8', '13', '21', '?', '☕'],
  modified_fibonacci: ['0', '½', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', '☕'],
  tshirt: ['XS', 'S', 'M', 'L', 'XL', '?'],
  powers_of_two: ['0', '1', '2', '4', '8', '16', '32', '64', '?', '☕'],
} as const satisfies Record<string, readonly string[]>;

export type BuiltInDeckName = keyof typeof BUILT_IN_DECKS;
export type Deck = { name: BuiltInDeckName } | { name: 'custom'; values: string[] };

/** Cards that say "I can't estimate" or "I need a break": shown, never counted as numbers. */
export const NON_ESTIMATES = new Set(['?', '☕']);

export function deckValues(deck: Deck): readonly string[] {
  return deck.name === 'custom' ? deck.values : BUILT_IN_DECKS[deck.name];
}

/** Why a custom deck is not acceptable, or undefined when it is (2–20 distinct values of ≤ 8 characters). */
export function customDeckProblem(values: readonly string[]): string | undefined {
  const trimmed = values.map((v) => v.trim());
  if (trimmed.length < 2 || trimmed.length > 20) return 'A custom deck has 2 to 20 cards.';
  if (trimmed.some((v) => v.length === 0 || [...v].length > 8)) return 'Each card has 1 to 8 characters.';
  if (new Set(trimmed).size !== trimmed.length) return 'Cards in a deck must differ.';
  return undefined;
}

export function isInDeck(deck: Deck, value: string): boolean {
  return deckValues(deck).includes(value);
}

/** The number a card stands for, or undefined for non-numeric cards ('?', '☕', 'XL', …). */
export function numericValue(card: string): number | undefined {
  if (card === '½') return 0.5;
  if (!/^-?\d+(\.\d+)?$/.test(card)) return undefined;
  return Number(card);
}

/** Whether averages and medians mean something for this deck (every estimate card is a number). */
export function isNumericDeck(deck: Deck): boolean {
  return deckValues(deck).filter((v) => !NON_ESTIMATES.has(v)).every((v) => numericValue(v) !== undefined);
}
