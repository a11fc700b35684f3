// Cloud Function `ai`: /api/ai/** — round and session summaries, estimate suggestions, a team's AI
// settings. The only bundle that loads @google/genai (scripts/build.ts confines it here).
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { requireSecrets } from '../../shared/config/secrets.js';
import { aiRoutes } from './routes.js';

// Without its secrets, or with a published development key in production, the instance does not start.
await requireSecrets();
export const ai = createHttpFunction('ai', aiRoutes);
http('ai', ai);
