// The teams function's routes (issue #14): teams, members and roles, invite links, the audit log.
// Who may call each route is decided in access.ts, one call at the top of each handler.
import type { Route } from '../../shared/http/router.js';
import { teamManagementRoutes } from './team-routes.js';
import { inviteRoutes } from './invite-routes.js';
import { memberRoutes } from './member-routes.js';
import { auditRoutes } from './audit-route.js';

export const teamRoutes: Route[] = [...inviteRoutes, ...teamManagementRoutes, ...memberRoutes, ...auditRoutes];
