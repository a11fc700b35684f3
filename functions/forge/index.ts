// Cloud Function `forge`: /api/forge/** (installations for team admins; signed calls from the Forge app)
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { requireSecrets } from '../../shared/config/secrets.js';
import { forgeRoutes } from './routes.js';

// Without its secrets, or with a published development key in production, the instance does not start.
await requireSecrets();
export const forge = createHttpFunction('forge', forgeRoutes);
http('forge', forge);
