// Cloud Function `jobs`: /api/jobs/** (Cloud Scheduler, OIDC)
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { jobRoutes } from './routes.js';

export const jobs = createHttpFunction('jobs', jobRoutes);
http('jobs', jobs);
