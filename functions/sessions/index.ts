// Cloud Function `sessions`: /api/sessions/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { sessionRoutes } from './routes.js';

export const sessions = createHttpFunction('sessions', sessionRoutes);
http('sessions', sessions);
