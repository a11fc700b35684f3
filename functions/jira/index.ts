// Cloud Function `jira`: /api/jira/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { requireSecrets } from '../../shared/config/secrets.js';
import { jiraRoutes } from './routes.js';

// Without its secrets, or with a published development key in production, the instance does not start.
await requireSecrets();
export const jira = createHttpFunction('jira', jiraRoutes);
http('jira', jira);
