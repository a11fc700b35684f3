// The AI settings of the deployment (issue #18): where Gemini runs and how long Reckon waits for
// it. Read from the same environment as the rest of the configuration; a team's own on/off and
// quota live in Firestore (shared/store/ai-settings.ts).
import * as z from 'zod';
import type { Config } from './config.js';

const AiEnv = z.object({
  /** The Google Cloud project whose Vertex AI is called; the functions' own project by default. */
  RECKON_AI_PROJECT: z.string().min(1).optional(),
  /** In the EU so prompts are processed where the data lives (docs/security.md "What leaves Reckon"). */
  RECKON_AI_LOCATION: z.string().regex(/^[a-z0-9-]+$/).default('europe-west1'),
  RECKON_AI_MODEL: z.string().regex(/^[a-z0-9.-]+$/).default('gemini-3.8-flash'),
  RECKON_AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  /** Pause before the first retry of a 429; doubles, at most 3 attempts in all. */
  RECKON_AI_RETRY_DELAY_MS: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** A fake Vertex AI server (tests, `npm start` with `npm run fake:vertex`): its REST API and token endpoint. */
  RECKON_AI_FAKE_URL: z.string().url().optional(),
});

export interface AiConfig {
  project: string; location: string; model: string; timeoutMs: number; retryDelayMs: number;
  fakeUrl: string | undefined;
}

export function aiConfig(config: Config): AiConfig {
  const e = AiEnv.parse(config.rawEnv);
  return {
    project: e.RECKON_AI_PROJECT ?? config.projectId, location: e.RECKON_AI_LOCATION, model: e.RECKON_AI_MODEL,
    timeoutMs: e.RECKON_AI_TIMEOUT_MS, retryDelayMs: e.RECKON_AI_RETRY_DELAY_MS,
    // A fake never answers for Gemini in production, whatever the environment says.
    fakeUrl: config.env === 'production' ? undefined : e.RECKON_AI_FAKE_URL,
  };
}
