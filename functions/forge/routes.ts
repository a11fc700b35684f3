import type { Route } from '../../shared/http/router.js';
import { installationRoutes } from './installation-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { bindRoutes } from './bind-routes.js';
import { writeBackRoutes } from './write-back-routes.js';

export const forgeRoutes: Route[] = [...installationRoutes, ...bindRoutes, ...webhookRoutes, ...writeBackRoutes];
