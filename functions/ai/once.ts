// One model call for a stored answer, however many people ask at once (two moderators asking for
// the summary, a whole room fetching the suggestion at the reveal): the first to claim the answer
// asks; the others wait for it, at most the AI deadline, and ask themselves only if it never comes.
import type { HandlerContext } from '../../shared/http/router.js';
import { aiConfig } from '../../shared/config/ai.js';
import { claimAnswer, isAnswerClaimed, releaseAnswer } from '../../shared/store/summaries.js';

const POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function onceForAll<T>(ctx: HandlerContext, claim: { id: string; tenantId: string; sessionId: string }, read: () => Promise<T | undefined>, make: () => Promise<T>): Promise<{ value: T; made: boolean }> {
  const stored = await read();
  if (stored !== undefined) return { value: stored, made: false };
  if (await claimAnswer(claim.id, claim.tenantId, claim.sessionId, ctx.now)) {
    try {
      // Read again under the claim: another maker may have stored the answer and let go of its
      // claim between our first read and our claim.
      const meanwhile = await read();
      if (meanwhile !== undefined) return { value: meanwhile, made: false };
      return { value: await make(), made: true };
    } finally {
      await releaseAnswer(claim.id);
    }
  }
  const until = Date.now() + aiConfig(ctx.config).timeoutMs + 2_000;
  while (Date.now() < until) {
    await sleep(POLL_MS);
    const value = await read();
    if (value !== undefined) return { value, made: false };
    if (!(await isAnswerClaimed(claim.id))) break; // the claimant gave up (quota, a fallback): ask ourselves
  }
  try {
    return { value: await make(), made: true };
  } finally {
    await releaseAnswer(claim.id); // a claim its maker left behind (a crashed instance) ends here
  }
}
