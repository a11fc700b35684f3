// The statistical session summary: what was estimated, the total for numeric decks, which issues
// took several rounds, what is left. It names no people and no votes, so it is also the version a
// client may read. Pure.
import { numericValue, NON_ESTIMATES } from './decks.js';
import { plainText, SUMMARY_MAX } from './round-summary.js';
import type { SessionIssueFacts } from './ai-prompts.js';

export function statisticalSessionSummary(name: string, issues: readonly SessionIssueFacts[]): string {
  const done = issues.filter((i) => i.finalEstimate !== null);
  const parts = [`${name}: ${done.length} of ${issues.length} issue${issues.length === 1 ? '' : 's'} estimated.`];
  const numbers = done.map((i) => (NON_ESTIMATES.has(i.finalEstimate!) ? undefined : numericValue(i.finalEstimate!)));
  if (done.length && numbers.every((n) => n !== undefined)) parts.push(`Total: ${Math.round(numbers.reduce((a, b) => a! + b!, 0)! * 100) / 100} points.`);
  const long = [...done].filter((i) => i.rounds >= 2).sort((a, b) => b.rounds - a.rounds).slice(0, 3);
  if (long.length) parts.push(`Needed more than one round: ${long.map((i) => `"${plainText(i.title, 80)}" (${i.rounds})`).join(', ')}.`);
  const left = issues.filter((i) => i.finalEstimate === null);
  if (left.length) parts.push(`Not estimated yet: ${left.slice(0, 5).map((i) => `"${plainText(i.title, 80)}"`).join(', ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}.`);
  return plainText(parts.join(' '), SUMMARY_MAX);
}
