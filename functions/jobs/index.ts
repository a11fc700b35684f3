// Cloud Function `jobs`: /api/jobs/** (Cloud Scheduler, OIDC)
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { requireSecrets } from '../../shared/config/secrets.js';
import { jobRoutes } from './routes.js';

// Without its secrets, or with a published development key in production, the instance does not start.
await requireSecrets();
export const jobs = createHttpFunction('jobs', jobRoutes);
http('jobs', jobs);
