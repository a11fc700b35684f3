// The estimation room's rules, as plain functions: decks, who may vote, statistics, privacy, join codes.
import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { customDeckProblem, deckValues, isInDeck, isNumericDeck, numericValue, type Deck } from '../../shared/domain/decks.js';
import { refuseVote, everyoneHasVoted, type RoundState } from '../../shared/domain/rounds.js';
import { roundStatistics } from '../../shared/domain/statistics.js';
import { roomViewFor, type RoomRecords } from '../../shared/domain/room-state.js';
import { isOnline, offlineBefore, presencePeriod, withRefreshedPresence, ONLINE_WINDOW_MS, PRESENCE_PERIOD_MS } from '../../shared/domain/presence.js';
import { joinCodeFrom, normalizeJoinCode, JOIN_CODE_ALPHABET } from '../../shared/domain/join-codes.js';

const fib: Deck = { name: 'fibonacci' };
const tshirt: Deck = { name: 'tshirt' };

describe('decks', () => {
  it('has the built-in decks of the design', () => {
    expect(deckValues({ name: 'modified_fibonacci' })).toEqual(['0', '½', '1', '2', '3', '5', '8', '13', '20', '40', '100', '?', '☕']);
    expect(deckValues(tshirt)).toEqual(['XS', 'S', 'M', 'L', 'XL', '?']);
  });

  it.each<[string, string[], string | undefined]>([
    ['two cards', ['yes', 'no'], undefined],
    ['twenty cards', Array.from({ length: 20 }, (_, i) => `c${i}`), undefined],
    ['one card', ['only'], 'A custom deck has 2 to 20 cards.'],
    ['21 cards', Array.from({ length: 21 }, (_, i) => `c${i}`), 'A custom deck has 2 to 20 cards.'],
    ['a 9-character card', ['ninechars', 'ok'], 'Each card has 1 to 8 characters.'],
    ['an empty card', ['', 'ok'], 'Each card has 1 to 8 characters.'],
    ['8 emoji count as 8 characters', ['🎲🎲🎲🎲🎲🎲🎲🎲', 'ok'], undefined],
    ['a repeated card', ['1', '2', '1'], 'Cards in a deck must differ.'],
    ['cards equal once trimmed', ['a ', 'a'], 'Cards in a deck must differ.'],
  ])('custom deck with %s', (_name, values, problem) => {
    expect(customDeckProblem(values)).toBe(problem);
  });

  it.each([['½', 0.5], ['13', 13], ['?', undefined], ['☕', undefined], ['XL', undefined]])('card %s is worth %s', (card, n) => {
    expect(numericValue(card)).toBe(n);
  });

  it('knows which decks are numeric', () => {
    expect([isNumericDeck(fib), isNumericDeck(tshirt), isNumericDeck({ name: 'custom', values: ['1', '2', '?'] })]).toEqual([true, false, true]);
    expect(isInDeck(fib, '8')).toBe(true);
    expect(isInDeck(fib, '4')).toBe(false);
  });
});

describe('who may vote', () => {
  const open: RoundState = { status: 'open', currentIssueId: 'i1', round: 2, revealed: false, deck: fib };
  it.each<[string, Partial<RoundState>, { issueId?: string; round?: number; value?: string | null }, string | undefined]>([
    ['a deck card in the current round', {}, {}, undefined],
    ['a retraction', {}, { value: null }, undefined],
    ['a closed session', { status: 'closed' }, {}, 'session_closed'],
    ['another issue', {}, { issueId: 'i2' }, 'not_current_issue'],
    ['no current issue', { currentIssueId: null }, {}, 'not_current_issue'],
    ['an old round', {}, { round: 1 }, 'stale_round'],
    ['a future round', {}, { round: 3 }, 'stale_round'],
    ['a revealed round', { revealed: true }, {}, 'round_revealed'],
    ['a retraction after reveal', { revealed: true }, { value: null }, 'round_revealed'],
    ['a card not in the deck', {}, { value: '4' }, 'value_not_in_deck'],
  ])('%s', (_name, state, vote, refusal) => {
    expect(refuseVote({ ...open, ...state }, { issueId: 'i1', round: 2, value: '5', ...vote })).toBe(refusal);
  });

  it('everyone has voted only when every voter has, spectators aside', () => {
    const people = [{ id: 'a', role: 'voter' as const }, { id: 'b', role: 'voter' as const }, { id: 'w', role: 'spectator' as const }];
    expect(everyoneHasVoted(people, new Set(['a']))).toBe(false);
    expect(everyoneHasVoted(people, new Set(['a', 'b']))).toBe(true);
    expect(everyoneHasVoted([{ id: 'w', role: 'spectator' }], new Set())).toBe(false);
  });
});

describe('round statistics', () => {
  it('counts cards in deck order with average, median and spread for a numeric deck', () => {
    expect(roundStatistics(fib, ['8', '3', '5', '8', '?'])).toEqual({
      distribution: [{ value: '3', count: 1 }, { value: '5', count: 1 }, { value: '8', count: 2 }, { value: '?', count: 1 }],
      votes: 5, average: 6, median: 6.5, consensus: false, spread: { lowest: '3', highest: '8', steps: 2 },
    });
  });

  it.each<[string, Deck, string[], boolean]>([
    ['all the same', fib, ['5', '5', '5'], true],
    ['the same with a coffee break', fib, ['5', '☕', '5'], true],
    ['the same but one unsure', fib, ['5', '?', '5'], false],
    ['different', fib, ['3', '5'], false],
    ['nothing but coffee', fib, ['☕'], false],
  ])('consensus when %s', (_name, deck, values, consensus) => {
    expect(roundStatistics(deck, values).consensus).toBe(consensus);
  });

  it('gives no average or median for t-shirt sizes, but a spread in steps', () => {
    expect(roundStatistics(tshirt, ['S', 'XL', 'M'])).toMatchObject({ average: null, median: null, spread: { lowest: 'S', highest: 'XL', steps: 3 } });
  });

  it('handles ½ and an empty round', () => {
    expect(roundStatistics({ name: 'modified_fibonacci' }, ['½', '1']).average).toBe(0.75);
    expect(roundStatistics(fib, [])).toMatchObject({ votes: 0, average: null, median: null, consensus: false, spread: null, distribution: [] });
  });
});

describe('vote privacy (the room view, shared/domain/room-state.ts)', () => {
  const records = (revealed: boolean): RoomRecords => ({
    session: { id: 's', tenantId: 't', name: 'S', ownerUid: 'o', deck: { name: 'fibonacci' }, status: 'open', autoReveal: false, joinCode: 'ABCDEFGH', currentIssueId: 'i', round: 1, revealed },
    participants: [
      { id: 'a', displayName: 'Ann', kind: 'user', role: 'voter', uid: 'ua', joinedAt: 1, lastSeenAt: 1 },
      { id: 'b', displayName: 'Bo', kind: 'guest', role: 'voter', uid: null, joinedAt: 2, lastSeenAt: 2 },
    ],
    issues: [{ id: 'i', title: 'One', description: '', order: 0, rounds: 1, finalEstimate: null, estimatedAt: null, jira: null }],
    roundVotes: [{ participantId: 'a', value: '8' }, { participantId: 'b', value: null }],
    presenceAsOf: 3,
  });
  const viewer = { participantId: 'b', canModerate: false, isGuest: true };

  it('shows only who has voted before reveal, never a value', () => {
    const view = roomViewFor(records(false), viewer);
    expect(view.participants.map((p) => [p.id, p.hasVoted])).toEqual([['a', true], ['b', false]]);
    expect(view.votes).toBeNull();
    expect(JSON.stringify({ ...view, session: null })).not.toContain('"8"');
  });

  it('shows the cast votes after reveal, not retracted ones', () => {
    expect(roomViewFor(records(true), viewer).votes).toEqual([{ participantId: 'a', value: '8', note: null }]);
  });
});

describe('join codes', () => {
  it('are 8 characters from an alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) expect(joinCodeFrom(randomBytes)).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{8}$`));
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[0O1IL5S2Z8B]/);
  });

  it('use every character about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) for (const c of joinCodeFrom(randomBytes)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const expected = (2000 * 8) / JOIN_CODE_ALPHABET.length;
    for (const c of JOIN_CODE_ALPHABET) expect(Math.abs(counts.get(c)! - expected) / expected).toBeLessThan(0.15);
  });

  it.each([['abcd-efgh', undefined], ['acde fghj', 'ACDEFGHJ'], ['ACDEFGH', undefined], ['ACDEFGH0', undefined]])('reads %j as %s', (input, code) => {
    expect(normalizeJoinCode(input)).toBe(code);
  });
});

describe('presence', () => {
  const asOf = 1_800_000_000_000;
  it('keeps the stored time of those the refresh found offline, and marks everyone else seen within the window', () => {
    const known = [
      { id: 'ann', lastSeenAt: asOf - 200_000 }, // wrote since, the refresh did not return her
      { id: 'bob', lastSeenAt: asOf - 200_000 }, // left
      { id: 'cy', lastSeenAt: asOf - 5_000 },
    ];
    const refreshed = withRefreshedPresence(known, [{ id: 'bob', lastSeenAt: asOf - 130_000 }], asOf);
    expect(refreshed.map((p) => [p.id, isOnline(p.lastSeenAt, asOf)])).toEqual([['ann', true], ['bob', false], ['cy', true]]);
    expect(refreshed[1]!.lastSeenAt).toBe(asOf - 130_000);
    expect(refreshed[2]!.lastSeenAt).toBe(asOf - 5_000);
    expect(offlineBefore(asOf)).toBe(asOf - ONLINE_WINDOW_MS);
  });

  it('counts a participant online up to the window and offline after it', () => {
    expect(isOnline(asOf - ONLINE_WINDOW_MS, asOf)).toBe(true);
    expect(isOnline(asOf - ONLINE_WINDOW_MS - 1, asOf)).toBe(false);
  });

  it('starts each room\'s presence periods at its own offset, so rooms do not refresh together', () => {
    const ids = Array.from({ length: 200 }, () => randomBytes(15).toString('base64url'));
    const changeAt = (id: string) => {
      const p = presencePeriod(asOf, id);
      let t = asOf;
      while (presencePeriod(t, id) === p) t += 1000;
      return t;
    };
    const boundaries = new Set(ids.map((id) => Math.floor((changeAt(id) - asOf) / 10_000)));
    expect(boundaries.size).toBeGreaterThan(8); // spread over the 12 ten-second slices of a period
    for (const id of ids.slice(0, 5)) expect(presencePeriod(asOf + PRESENCE_PERIOD_MS, id)).toBe(presencePeriod(asOf, id) + 1);
  });
});
