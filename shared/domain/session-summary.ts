// The statistical session summary: what was estimated, the total for numeric decks, which issues
// took several rounds, what is left. It names no people and no votes. The version for the client
// portal is built from the finalized estimates only (titles, final estimates, the total): nothing
// of how the team got there, nothing still open. Pure.
import { fingerprintOf } from './fingerprint.js';
import { numericValue, NON_ESTIMATES } from './decks.js';
import { plainText, SUMMARY_MAX } from './round-summary.js';
import type { SessionIssueFacts } from './ai-prompts.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The total of the final estimates when every one is a number, else undefined. */
function totalOf(done: readonly SessionIssueFacts[]): number | undefined {
  const numbers = done.map((i) => (NON_ESTIMATES.has(i.finalEstimate!) ? undefined : numericValue(i.finalEstimate!)));
  if (!done.length || !numbers.every((n) => n !== undefined)) return undefined;
  return Math.round(numbers.reduce((a, b) => a! + b!, 0)! * 100) / 100;
}

export function statisticalSessionSummary(name: string, issues: readonly SessionIssueFacts[]): string {
  const done = issues.filter((i) => i.finalEstimate !== null);
  const parts = [`${name}: ${done.length} of ${plural(issues.length, 'issue')} estimated.`];
  const total = totalOf(done);
  if (total !== undefined) parts.push(`Total: ${total} points.`);
  const long = [...done].filter((i) => i.rounds >= 2).sort((a, b) => b.rounds - a.rounds).slice(0, 3);
  if (long.length) parts.push(`Needed more than one round: ${long.map((i) => `"${plainText(i.title, 80)}" (${i.rounds})`).join(', ')}.`);
  const left = issues.filter((i) => i.finalEstimate === null);
  if (left.length) parts.push(`Not estimated yet: ${left.slice(0, 5).map((i) => `"${plainText(i.title, 80)}"`).join(', ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}.`);
  return plainText(parts.join(' '), SUMMARY_MAX);
}

/** What a client may read: the finalized estimates only, no rounds, nothing still open. */
export function clientSafeSessionSummary(name: string, issues: readonly SessionIssueFacts[]): string {
  const done = issues.filter((i) => i.finalEstimate !== null);
  if (!done.length) return plainText(`${name}: no estimates yet.`, SUMMARY_MAX);
  const parts = [`${name}: ${plural(done.length, 'issue')} estimated.`];
  const total = totalOf(done);
  if (total !== undefined) parts.push(`Total: ${total} points.`);
  parts.push(`Estimates: ${done.slice(0, 10).map((i) => `"${plainText(i.title, 80)}" ${i.finalEstimate}`).join(', ')}${done.length > 10 ? ` and ${done.length - 10} more` : ''}.`);
  return plainText(parts.join(' '), SUMMARY_MAX);
}


/** What a session summary was made from: the same basis, the same summary (no second model call). */
export const sessionSummaryBasis = (name: string, deck: readonly string[], issues: readonly SessionIssueFacts[], aiOn: boolean) =>
  fingerprintOf({ name, deck, aiOn, issues: issues.map((i) => [i.title, i.finalEstimate, i.rounds]) });

/** What the client-safe version was made from: the finalized estimates only. */
export const clientSummaryBasis = (name: string, issues: readonly SessionIssueFacts[]) =>
  fingerprintOf({ name, done: issues.filter((i) => i.finalEstimate !== null).map((i) => [i.title, i.finalEstimate]) });
