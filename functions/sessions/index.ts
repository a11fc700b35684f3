// Cloud Function `sessions`: /api/sessions/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { allSessionRoutes } from './routes.js';

export const sessions = createHttpFunction('sessions', allSessionRoutes);
http('sessions', sessions);
