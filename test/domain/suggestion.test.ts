// The suggestion's similarity selection and estimate, pure, and how often it lands on the final
// estimate over a fixture history (leave-one-out: each issue suggested from the others). The
// measured hit rate is quoted in docs/performance.md.
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { similarIssues, suggestFromHistory, cardForHours, type HistoryIssue, type CardCalibration } from '../../shared/domain/suggestion.js';
import { anonymise, statisticalRoundSummary } from '../../shared/domain/round-summary.js';
import { suggestionAnswer, suggestionPrompt } from '../../shared/domain/ai-prompts.js';

const HISTORY: HistoryIssue[] = JSON.parse(fs.readFileSync(new URL('../fixtures/ai/history.json', import.meta.url), 'utf8'));
const FIB = { name: 'fibonacci' } as const;

describe('similar issues', () => {
  it('finds issues about the same thing first', () => {
    const near = similarIssues({ title: 'Login with GitHub single sign-on', description: 'OAuth sign-in' }, HISTORY, 3);
    expect(near.map((n) => n.issue.key)).toEqual(expect.arrayContaining(['WEB-102', 'WEB-103']));
  });

  it('suggests nothing when nothing is similar, and only cards of the deck', () => {
    expect(suggestFromHistory(FIB, { title: 'Quantum flux capacitor', description: '' }, HISTORY)).toBeNull();
    const tshirt = suggestFromHistory({ name: 'tshirt' }, { title: 'Login page', description: '' }, HISTORY);
    expect(tshirt).toBeNull(); // no history issue was estimated in T-shirt sizes
  });
});

describe('the hit rate over the fixture history', () => {
  const deck = ['0', '1', '2', '3', '5', '8', '13', '21'];
  function measure(history: readonly HistoryIssue[]) {
    let hits = 0; let near = 0; let answered = 0;
    for (const [i, issue] of history.entries()) {
      const s = suggestFromHistory(FIB, issue, history.filter((_, j) => j !== i));
      if (!s) continue;
      answered++;
      if (s.estimate === issue.finalEstimate) hits++;
      if (Math.abs(deck.indexOf(s.estimate) - deck.indexOf(issue.finalEstimate)) <= 1) near++;
    }
    return { hits, near, answered };
  }
  const line = (what: string, { hits, near, answered }: ReturnType<typeof measure>) =>
    `suggestion hit rate ${what}: ${hits}/${answered} exact (${Math.round((100 * hits) / answered)}%), ${near}/${answered} within one step (${Math.round((100 * near) / answered)}%), ${answered}/${HISTORY.length} answered`;

  it('lands on the final estimate at least half the time, and within one deck step most of the time', () => {
    const withComponents = measure(HISTORY);
    const without = measure(HISTORY.map(({ components: _, ...i }) => i));
    console.log(line('with Jira components', withComponents));
    console.log(line('without components', without));
    const { hits, near, answered } = withComponents;
    expect(answered).toBeGreaterThanOrEqual(HISTORY.length * 0.9);
    expect(hits / answered).toBeGreaterThanOrEqual(0.5);
    expect(near / answered).toBeGreaterThanOrEqual(0.8);
  });

  it('lets a shared Jira component decide between issues the words find equally similar', () => {
    const history: HistoryIssue[] = [
      { key: 'PAY-1', title: 'Refund webhook retries', description: '', issueType: 'Story', components: ['Billing'], finalEstimate: '13' },
      { key: 'WEB-1', title: 'Webhook settings page', description: '', issueType: 'Story', components: ['Web UI'], finalEstimate: '2' },
    ];
    const target = { title: 'Webhook timeout', description: '', issueType: 'Bug' };
    const [a, b] = similarIssues(target, history);
    expect(a!.score).toBeCloseTo(b!.score, 6);
    expect(suggestFromHistory(FIB, target, history)!.estimate).toBe('2'); // a tie goes to the smaller card
    expect(suggestFromHistory(FIB, { ...target, components: ['Billing'] }, history)!.estimate).toBe('13');
    expect(suggestFromHistory(FIB, { ...target, components: ['web ui'] }, history)!.basedOn[0]!.key).toBe('WEB-1');
  });
});

describe('optional calibration (Insights, issue #19)', () => {
  const calibration: CardCalibration[] = [
    { card: '2', count: 8, medianHours: 4, q1Hours: 3, q3Hours: 6 },
    { card: '5', count: 9, medianHours: 14, q1Hours: 12, q3Hours: 16 },
    { card: '8', count: 6, medianHours: 28, q1Hours: 25, q3Hours: 30 },
  ];
  it('maps hours to the nearest card, and says how long the suggested card usually takes', () => {
    expect(cardForHours(26, calibration)).toBe('8');
    const s = suggestFromHistory(FIB, { title: 'Login with Apple single sign-on', description: 'OAuth sign-in' }, HISTORY, { calibration })!;
    expect(s.estimate).toBe('5');
    expect(s.rationale).toContain("The team's 5s usually take 12–16 hours.");
    expect(suggestFromHistory(FIB, { title: 'Login with Apple single sign-on', description: 'OAuth sign-in' }, HISTORY)!.rationale).not.toContain('usually take');
  });

  it("gives Gemini the hours per card of this deck's cards (no issue, no name), and nothing when there are none", () => {
    const target = { title: 'Login with Apple single sign-on', description: 'OAuth sign-in' };
    const withHours = suggestionPrompt(FIB, target, [], [...calibration, { card: 'XL', count: 3, medianHours: 80, q1Hours: 70, q3Hours: 90 }]).prompt;
    expect(withHours).toContain('"hoursByCard":[{"card":"2","issues":8,"medianHours":4,"q1Hours":3,"q3Hours":6}');
    expect(withHours).not.toContain('"XL"');
    expect(suggestionPrompt(FIB, target, []).prompt).not.toContain('hoursByCard');
  });
});

describe('what the model may answer', () => {
  it('accepts only a card of the deck and caps the rationale', () => {
    const answer = suggestionAnswer(FIB);
    expect(answer.safeParse({ estimate: '1000', confidence: 1, rationale: 'x' }).success).toBe(false);
    expect(answer.safeParse({ estimate: '?', confidence: 1, rationale: 'x' }).success).toBe(false);
    expect(answer.parse({ estimate: '5', confidence: 0.555, rationale: 'y'.repeat(1000) })).toMatchObject({ estimate: '5', confidence: 0.56 });
    expect(answer.parse({ estimate: '5', confidence: 0.5, rationale: 'y'.repeat(1000) }).rationale.length).toBeLessThanOrEqual(400);
  });
});

describe('the statistical round summary', () => {
  it('names no one, quotes the outliers\' notes, and asks them to explain before a re-vote', () => {
    const cards = anonymise(FIB, [{ value: '13', note: 'No API docs' }, { value: '3', note: null }, { value: '3', note: null }, { value: '?', note: 'Never seen this code' }]);
    expect(cards.map((c) => c.voter)).toEqual(['Voter 1', 'Voter 2', 'Voter 3', 'Voter 4']);
    const { text } = statisticalRoundSummary(FIB, cards);
    expect(text).toContain('2 of 3 estimates are 3');
    expect(text).toContain('"No API docs"');
    expect(text).toContain('1 could not estimate');
    expect(text).toContain('Before re-voting');
  });
});
