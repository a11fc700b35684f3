// One AI request for a team: is AI on for it, is there quota left today, then Gemini, then the
// answer validated. Anything short of a valid answer is a fallback reason, logged without the
// prompt (the caller answers with the statistical source).
import type * as z from 'zod';
import { HttpError } from '../../shared/http/errors.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { log } from '../../shared/http/log.js';
import { aiConfig } from '../../shared/config/ai.js';
import { addAiTokens, getAiSettings, reserveAiRequest } from '../../shared/store/ai-settings.js';
import type { ModelPrompt } from '../../shared/domain/ai-prompts.js';
import { generateJson, type FailureReason } from './gemini.js';

export type Asked<T> = { ok: true; value: T; model: string } | { ok: false; reason: FailureReason | 'ai_off' | 'invalid_answer' };

const secondsToUtcMidnight = (now: number) => Math.max(1, Math.ceil((86_400_000 - (now % 86_400_000)) / 1000));

/** Asks Gemini for the team, or says why not. Throws 429 ai_quota_exceeded when today's quota is used up. */
export async function askGemini<T>(ctx: HandlerContext, tenantId: string, what: string, prompt: ModelPrompt, answer: z.ZodType<T>): Promise<Asked<T>> {
  const settings = await getAiSettings(tenantId);
  if (!settings.enabled) return { ok: false, reason: 'ai_off' };
  if (!(await reserveAiRequest(tenantId, settings.dailyQuota, ctx.now))) {
    throw new HttpError('ai_quota_exceeded', "Your team has used today's AI requests; the room still works without them.", { retryAfterS: secondsToUtcMidnight(ctx.now) });
  }
  const ai = aiConfig(ctx.config);
  const started = Date.now();
  const outcome = await generateJson(ai, prompt);
  if (outcome.usage.inputTokens || outcome.usage.outputTokens) await addAiTokens(tenantId, ctx.now, outcome.usage);
  const fields = { requestId: ctx.requestId, tenantId, what, model: ai.model, ms: Date.now() - started, inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens };
  if (!outcome.ok) {
    log('WARNING', 'gemini fallback', { ...fields, reason: outcome.reason, status: outcome.status });
    return { ok: false, reason: outcome.reason };
  }
  const parsed = answer.safeParse(outcome.json);
  if (!parsed.success) {
    log('WARNING', 'gemini fallback', { ...fields, reason: 'invalid_answer', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).slice(0, 5) });
    return { ok: false, reason: 'invalid_answer' };
  }
  log('INFO', 'gemini answered', fields);
  return { ok: true, value: parsed.data, model: outcome.model };
}
