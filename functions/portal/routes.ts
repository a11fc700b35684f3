// The portal function's routes (issue #17): clients and portal links for team admins, redeeming
// a link, and the portal users' own view of their client.
import type { Route } from '../../shared/http/router.js';
import { clientRoutes } from './client-routes.js';
import { linkRoutes } from './link-routes.js';
import { estimateRoutes } from './estimate-routes.js';
import { sessionSummaryRoutes } from './session-summary-route.js';

export const portalRoutes: Route[] = [...linkRoutes, ...clientRoutes, ...estimateRoutes, ...sessionSummaryRoutes];
