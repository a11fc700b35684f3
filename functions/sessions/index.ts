// Cloud Function `sessions`: /api/sessions/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { requireSecrets } from '../../shared/config/secrets.js';
import { allSessionRoutes } from './routes.js';

// Without its secrets, or with a published development key in production, the instance does not start.
await requireSecrets();
export const sessions = createHttpFunction('sessions', allSessionRoutes);
http('sessions', sessions);
