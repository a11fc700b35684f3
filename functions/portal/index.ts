// Cloud Function `portal`: /api/portal and /api/portal/** (issue #17).
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { portalRoutes } from './routes.js';

export const portal = createHttpFunction('portal', portalRoutes);
http('portal', portal);
