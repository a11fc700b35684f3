// Cloud Function `jira`: /api/jira/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { jiraRoutes } from './routes.js';

export const jira = createHttpFunction('jira', jiraRoutes);
http('jira', jira);
