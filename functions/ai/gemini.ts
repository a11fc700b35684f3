// The one place Reckon talks to Gemini: Vertex AI through @google/genai (`vertexai: true`), with
// Application Default Credentials in production. A fake Vertex server (RECKON_AI_FAKE_URL) is
// reached through the library's own base URL option and authenticated through google-auth-library's
// real token exchange (an external-account credential whose token endpoint is the fake's), so the
// library's request and auth paths run as they do in production. Every failure becomes a reason,
// never an exception: the caller falls back to the statistical answer.
import { ApiError, GoogleGenAI, type GoogleGenAIOptions } from '@google/genai';
import type { AiConfig } from '../../shared/config/ai.js';

export type FailureReason = 'safety' | 'blocked' | 'empty' | 'malformed' | 'rate_limited' | 'unavailable' | 'timeout' | 'error';
export interface Usage { inputTokens: number; outputTokens: number }
export type ModelOutcome =
  | { ok: true; json: unknown; usage: Usage; model: string }
  | { ok: false; reason: FailureReason; usage: Usage; status?: number };

export interface ModelRequest {
  system: string;
  prompt: string;
  /** An OpenAPI-subset schema (Vertex `responseSchema`): the model answers JSON of this shape. */
  schema: Record<string, unknown>;
  maxOutputTokens: number;
}

/** Credentials for the fake: google-auth-library exchanges a subject token at the fake's STS endpoint. */
function fakeCredentials(fakeUrl: string) {
  return {
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/0/locations/global/workloadIdentityPools/reckon-fake/providers/fake',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${fakeUrl}/v1/token`,
    credential_source: { url: `${fakeUrl}/subject-token` },
  };
}

let cached: { key: string; client: GoogleGenAI } | undefined;

function clientFor(ai: AiConfig): GoogleGenAI {
  const key = JSON.stringify(ai);
  if (cached?.key === key) return cached.client;
  const options: GoogleGenAIOptions = {
    // The GA REST surface (/v1/projects/…:generateContent); the library defaults to v1beta1.
    vertexai: true, project: ai.project, location: ai.location, apiVersion: 'v1',
    httpOptions: {
      timeout: ai.timeoutMs,
      // Bounded backoff on Google's rate limit only; 5xx and timeouts fall back at once (the room waits).
      retryOptions: { attempts: 3, initialDelay: ai.retryDelayMs / 1000, maxDelay: (ai.retryDelayMs * 4) / 1000, httpStatusCodes: [429] },
      ...(ai.fakeUrl ? { baseUrl: ai.fakeUrl } : {}),
    },
    ...(ai.fakeUrl ? { googleAuthOptions: { credentials: fakeCredentials(ai.fakeUrl) as never } } : {}),
  };
  cached = { key, client: new GoogleGenAI(options) };
  return cached.client;
}

const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0 };

function failureOf(e: unknown): { reason: FailureReason; status?: number } {
  if (e instanceof ApiError) {
    if (e.status === 429) return { reason: 'rate_limited', status: 429 };
    return { reason: e.status >= 500 ? 'unavailable' : 'error', status: e.status };
  }
  const name = e instanceof Error ? e.name : '';
  if (name === 'AbortError' || name === 'TimeoutError' || /abort|timed? ?out/i.test(e instanceof Error ? e.message : '')) return { reason: 'timeout' };
  if (e instanceof SyntaxError) return { reason: 'malformed' };
  return { reason: 'error' };
}

/** Asks the model for JSON of `schema`; the answer is parsed but not yet validated (the caller's Zod schema does that). */
export async function generateJson(ai: AiConfig, req: ModelRequest): Promise<ModelOutcome> {
  let response;
  // One deadline for the whole call, retries included: the room does not wait longer than this.
  // The library checks the signal only between attempts, not during its backoff sleep, so the call
  // also races the deadline (a retry the sleep still leads to starts aborted and sends nothing).
  const deadline = AbortSignal.timeout(ai.timeoutMs);
  const expired = new Promise<never>((_, reject) => deadline.addEventListener('abort', () => reject(deadline.reason as Error), { once: true }));
  try {
    response = await Promise.race([expired, clientFor(ai).models.generateContent({
      model: ai.model,
      contents: [{ role: 'user', parts: [{ text: req.prompt }] }],
      config: {
        systemInstruction: req.system,
        responseMimeType: 'application/json',
        responseSchema: req.schema,
        maxOutputTokens: req.maxOutputTokens,
        temperature: 0.2,
        abortSignal: deadline,
      },
    })]);
  } catch (e) {
    return { ok: false, usage: NO_USAGE, ...failureOf(e) };
  }
  const usage: Usage = { inputTokens: response.usageMetadata?.promptTokenCount ?? 0, outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0 };
  if (response.promptFeedback?.blockReason) return { ok: false, reason: 'blocked', usage };
  const candidate = response.candidates?.[0];
  if (!candidate) return { ok: false, reason: 'empty', usage };
  if (candidate.finishReason === 'SAFETY' || candidate.finishReason === 'PROHIBITED_CONTENT' || candidate.finishReason === 'BLOCKLIST') return { ok: false, reason: 'safety', usage };
  const text = candidate.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
  if (!text.trim()) return { ok: false, reason: 'empty', usage };
  try {
    return { ok: true, json: JSON.parse(text), usage, model: response.modelVersion ?? ai.model };
  } catch {
    return { ok: false, reason: 'malformed', usage };
  }
}
