import type { Route } from '../../shared/http/router.js';
import { installationRoutes } from './installation-routes.js';
import { webhookRoutes } from './webhook-routes.js';

export const forgeRoutes: Route[] = [...installationRoutes, ...webhookRoutes];
