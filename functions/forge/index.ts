// Cloud Function `forge`: /api/forge/** (installations for team admins; signed calls from the Forge app)
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { forgeRoutes } from './routes.js';

export const forge = createHttpFunction('forge', forgeRoutes);
http('forge', forge);
