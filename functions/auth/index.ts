// Cloud Function `auth`: /api/auth/**
import { http } from '@google-cloud/functions-framework';
import { createHttpFunction } from '../../shared/http/router.js';
import { authRoutes } from './routes.js';

export const auth = createHttpFunction('auth', authRoutes);
http('auth', auth);
