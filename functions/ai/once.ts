// One model call for a stored answer, however many people ask at once (two moderators asking for
// the summary, a whole room fetching the suggestion at the reveal): the one holding the claim asks;
// the others wait for it, at most the AI deadline, and ask themselves only if it never comes.
import type { HandlerContext } from '../../shared/http/router.js';
import { aiConfig } from '../../shared/config/ai.js';
import { claimAnswer, releaseAnswer } from '../../shared/store/summaries.js';

const POLL_MS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function onceForAll<T>(ctx: HandlerContext, claim: { id: string; tenantId: string; sessionId: string }, read: () => Promise<T | undefined>, make: () => Promise<T>): Promise<{ value: T; made: boolean }> {
  const until = Date.now() + aiConfig(ctx.config).timeoutMs + 2_000;
  for (;;) {
    const stored = await read();
    if (stored !== undefined) return { value: stored, made: false };
    // Whoever holds the claim asks; the others wait and read. A claimant that gave up (quota, a
    // fallback) or finished lets go, and the next claim goes to one waiter, never to all: a
    // waiter that saw the claim gone and asked on its own made a second model call when the
    // claimant had just stored its answer.
    if (await claimAnswer(claim.id, claim.tenantId, claim.sessionId, ctx.now)) {
      try {
        // Read again under the claim: the maker before us may have stored the answer and let go
        // of its claim between our read and our claim.
        const meanwhile = await read();
        if (meanwhile !== undefined) return { value: meanwhile, made: false };
        return { value: await make(), made: true };
      } finally {
        await releaseAnswer(claim.id);
      }
    }
    if (Date.now() >= until) break;
    await sleep(POLL_MS);
  }
  try {
    return { value: await make(), made: true };
  } finally {
    await releaseAnswer(claim.id); // a claim its maker left behind (a crashed instance) ends here
  }
}
