// The jira function's routes (docs/api.md, "jira").
import type { Route } from '../../shared/http/router.js';
import { connectionRoutes } from './connection-routes.js';
import { importRoutes } from './import-route.js';

export const jiraRoutes: Route[] = [...connectionRoutes, ...importRoutes];
