// Cloud Function `insights`: /api/insights and /api/insights/** (issue #19).
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { insightRoutes } from './routes.js';

export const insights = createHttpFunction('insights', insightRoutes);
http('insights', insights);
