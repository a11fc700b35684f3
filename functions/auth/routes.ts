// The auth function's routes (DESIGN.md §4, Auth).
import type { Route } from '../../shared/http/router.js';
import { register, login, logout, refresh } from './account-routes.js';
import { me, exportMe, eraseMe } from './me-routes.js';
import { guestJoin } from './guest-routes.js';
import { changeMyPassword } from './password-route.js';

export const authRoutes: Route[] = [register, login, logout, refresh, guestJoin, me, exportMe, eraseMe, changeMyPassword];
