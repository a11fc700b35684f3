// The sessions function's routes (DESIGN.md §4, Sessions).
import type { Route } from '../../shared/http/router.js';
import { sessionRoutes } from './session-routes.js';
import { issueRoutes } from './issue-routes.js';
import { roundRoutes } from './round-routes.js';
import { participantRoutes } from './participant-routes.js';
import { stateRoutes } from './state-route.js';

export const allSessionRoutes: Route[] = [...sessionRoutes, ...stateRoutes, ...issueRoutes, ...roundRoutes, ...participantRoutes];
