// The ai function's routes (/api/ai/**): the only code that reaches Gemini (issue #18).
import type { Route } from '../../shared/http/router.js';
import { summaryRoutes } from './summary-routes.js';
import { suggestionRoutes } from './suggestion-route.js';
import { sessionSummaryRoutes } from './session-summary-route.js';
import { settingsRoutes } from './settings-routes.js';

export const aiRoutes: Route[] = [...summaryRoutes, ...suggestionRoutes, ...sessionSummaryRoutes, ...settingsRoutes];
