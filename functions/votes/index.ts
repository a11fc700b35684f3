// Cloud Function `votes`: /api/votes/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { voteRoutes } from './routes.js';

export const votes = createHttpFunction('votes', voteRoutes);
http('votes', votes);
