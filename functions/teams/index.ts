// Cloud Function `teams`: /api/teams/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { teamRoutes } from './routes.js';

export const teams = createHttpFunction('teams', teamRoutes);
http('teams', teams);
