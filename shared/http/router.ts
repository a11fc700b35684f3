// Builds one Cloud Function's HTTP handler from its routes. Everything HTTP happens here:
// request id, guards (Origin, content type, size, JSON), auth, Zod validation, rate limits,
// the error envelope, headers, the session cookie, and one log line per request.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { getConfig, type Config } from '../config/config.js';
import { HttpError, errorBody } from './errors.js';
import { API_HEADERS } from './headers.js';
import { readSessionCookie, sessionCookieHeader, clearedSessionCookieHeader, type SessionCookie } from './cookies.js';
import { checkOrigin, checkBodySize, checkJsonContentType, parseJsonBody, isStateChanging } from './request-guards.js';
import { clientIp } from './client-ip.js';
import { runWithCounters, type RequestCounters } from './context.js';
import { enforceRateLimits, type RateLimitKey } from './rate-limit.js';
import { log } from './log.js';
import { verifyAccessToken, TokenExpiredError, type Principal } from '../security/tokens.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext {
  principal: Principal | undefined;
  /** The raw session cookie (logout and refresh read the refresh token from it). */
  session: SessionCookie | undefined;
  clientIp: string;
  now: number;
  config: Config;
  requestId: string;
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  /** Set the session cookie to new tokens, or clear it. */
  session?: { set: SessionCookie; maxAgeS: number } | 'clear';
  headers?: Record<string, string>;
}

type Schema = z.ZodType;
type In<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface Route<B extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, P extends Schema | undefined = Schema | undefined> {
  method: Method;
  /** e.g. `/api/auth/me` or `/api/sessions/:id/state`. */
  path: string;
  /** 'user' requires a valid access token; 'none' reads one if present. */
  auth: 'user' | 'none';
  body?: B;
  query?: Q;
  params?: P;
  rateLimits?: (input: { body: In<B> }, ctx: HandlerContext) => RateLimitKey[];
  handler: (input: { body: In<B>; query: In<Q>; params: In<P> }, ctx: HandlerContext) => Promise<HandlerResult>;
}

/** Declares a route with its input types inferred from its schemas. */
export function defineRoute<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(route: Route<B, Q, P>): Route {
  return route as unknown as Route;
}

/** The request shape functions-framework hands over (Express on top of node:http). */
export type FunctionRequest = IncomingMessage & { rawBody?: Buffer };

function match(pattern: string, path: string): Record<string, string> | undefined {
  const ps = pattern.split('/');
  const xs = path.split('/');
  if (ps.length !== xs.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    if (ps[i]!.startsWith(':')) {
      try { params[ps[i]!.slice(1)] = decodeURIComponent(xs[i]!); } catch { return undefined; }
    } else if (ps[i] !== xs[i]) return undefined;
  }
  return params;
}

function validate<S extends Schema | undefined>(schema: S, value: unknown, where: string): In<S> {
  if (!schema) {
    if (value !== undefined && where === 'body') throw new HttpError('invalid_request', 'This request takes no body.');
    return undefined as In<S>;
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
    throw new HttpError('invalid_request', `The request's ${where} is not valid.`, { issues });
  }
  return r.data as In<S>;
}

async function authenticate(session: SessionCookie | undefined, required: boolean, config: Config, now: number): Promise<Principal | undefined> {
  if (!session) {
    if (required) throw new HttpError('unauthenticated', 'Sign in first.');
    return undefined;
  }
  try {
    return await verifyAccessToken(session.accessToken, config, now);
  } catch (e) {
    if (!required) return undefined;
    if (e instanceof TokenExpiredError) throw new HttpError('token_expired', 'Your session needs refreshing.');
    throw new HttpError('unauthenticated', 'Sign in first.');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]>): void {
  for (const [k, v] of Object.entries(API_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  if (body === undefined || status === 204 || status === 304) { res.end(); return; }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

async function dispatch(routes: Route[], req: FunctionRequest, ctx: HandlerContext): Promise<{ status: number; body: unknown; headers: Record<string, string | string[]>; route: string }> {
  const url = new URL(req.url ?? '/', 'http://function');
  const method = (req.method ?? 'GET').toUpperCase();
  const candidates = routes.map((r) => ({ r, params: match(r.path, url.pathname) })).filter((c) => c.params);
  if (candidates.length === 0) throw new HttpError('not_found', 'No such endpoint.');
  const hit = candidates.find((c) => c.r.method === method);
  if (!hit) throw new HttpError('method_not_allowed', `Use ${candidates.map((c) => c.r.method).join(' or ')} here.`);
  const route = hit.r;
  if (isStateChanging(method)) checkOrigin(req.headers, ctx.config.siteOrigin);
  checkBodySize(req.rawBody, req.headers['content-length']);
  const hasBody = (req.rawBody?.length ?? 0) > 0;
  if (hasBody) checkJsonContentType(req.headers['content-type']);
  const body = validate(route.body, hasBody ? parseJsonBody(req.rawBody) : undefined, 'body');
  const query = validate(route.query, Object.fromEntries(url.searchParams), 'query');
  const params = validate(route.params, hit.params, 'path');
  ctx.principal = await authenticate(ctx.session, route.auth === 'user', ctx.config, ctx.now);
  if (route.rateLimits && ctx.config.rateLimits) await enforceRateLimits(route.rateLimits({ body }, ctx), ctx.now);
  const result = await route.handler({ body, query, params }, ctx);
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  if (result.session === 'clear') headers['Set-Cookie'] = clearedSessionCookieHeader();
  else if (result.session) headers['Set-Cookie'] = sessionCookieHeader(result.session.set, result.session.maxAgeS);
  return { status: result.status ?? (result.body === undefined ? 204 : 200), body: result.body, headers, route: `${route.method} ${route.path}` };
}

/** The HTTP handler of one function (register it with functions-framework's `http()`). */
export function createHttpFunction(functionName: string, routes: Route[]): (req: FunctionRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const started = performance.now();
    const requestId = randomBytes(8).toString('hex');
    const counters: RequestCounters = { reads: 0, writes: 0 };
    let status = 500;
    let route = 'unmatched';
    await runWithCounters(counters, async () => {
      let config: Config | undefined;
      try {
        config = getConfig();
        const ctx: HandlerContext = {
          principal: undefined,
          session: readSessionCookie(req.headers.cookie),
          clientIp: clientIp(req.headers['x-forwarded-for'], req.socket?.remoteAddress),
          now: Date.now(),
          config,
          requestId,
        };
        const out = await dispatch(routes, req, ctx);
        status = out.status;
        route = out.route;
        send(res, out.status, out.body, { ...out.headers, 'X-Request-Id': requestId });
      } catch (e) {
        const err = e instanceof HttpError ? e : new HttpError('internal', 'Something went wrong on our side.');
        if (!(e instanceof HttpError)) log('ERROR', 'unhandled error', { requestId, function: functionName, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), stack: e instanceof Error ? e.stack : undefined });
        status = err.status;
        const headers: Record<string, string> = { 'X-Request-Id': requestId };
        if (err.extra.retryAfterS !== undefined) headers['Retry-After'] = String(err.extra.retryAfterS);
        send(res, err.status, errorBody(err, requestId), headers);
      }
    });
    log(status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO', 'request', {
      requestId, function: functionName, route, method: req.method, status,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      firestore: counters,
    });
  };
}
