// Builds one Cloud Function's HTTP handler from its routes. Everything HTTP happens here:
// request id, guards (Origin, content type, size, JSON), auth, Zod validation, rate limits,
// the error envelope, headers, the session cookie, and one log line per request.
import './no-domains.js';
import './bounded-body.js';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { getConfig, type Config } from '../config/config.js';
import { HttpError, errorBody } from './errors.js';
import { API_HEADERS } from './headers.js';
import { readSessionCookie, sessionCookieHeader, clearedSessionCookieHeader, MAX_GUEST_TOKENS, type SessionCookie, type UserTokens } from './cookies.js';
import { checkOrigin, checkBodySize, checkJsonContentType, parseJsonBody, parseTarget, isStateChanging } from './request-guards.js';
import { clientIp, networkOf } from './client-ip.js';
import { countFirestoreUsage, type FirestoreUsage } from '../store/usage.js';
import { requestAnswered } from '../store/firestore.js';
import { enforceRateLimits, type RateLimitKey } from './rate-limit.js';
import { log } from './log.js';
import { isContention, transientStoreError } from './store-errors.js';
import { requireSecrets } from '../config/secrets.js';
import type { GuestPrincipal } from '../security/guest-tokens.js';
import { identifyCaller, credentialOf, type Caller } from '../access/caller.js';
import { PERMISSIONS, signedInFor, signInRefusal, type Permission } from '../domain/permissions.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The request as a handler sees it: who is calling (shared/access/caller.ts) and the request's facts. */
export interface HandlerContext extends Caller {
  /** The raw session cookie (logout and refresh read the refresh token from it). */
  session: SessionCookie | undefined;
  /** The request's If-None-Match header (the poll answers 304 with it). */
  ifNoneMatch: string | undefined;
  /** The Authorization header (scheduled jobs carry an OIDC bearer token there). */
  authorization: string | undefined;
  /** The client's address, for logs. */
  clientIp: string;
  /** The network the address stands for (its /64 for IPv6): the subject of every per-address limit. */
  clientNetwork: string;
  /** clientNetwork when it is surely the caller's own (config.clientAddressesReliable), else
   *  undefined: what known networks are checked and remembered by. */
  ownNetwork: string | undefined;
  now: number;
  config: Config;
  requestId: string;
  /** The request as received, for routes that authenticate its exact bytes (signed webhooks). */
  request: { method: string; target: string; headers: IncomingHttpHeaders; rawBody: Buffer };
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
  /** Set the user's tokens (guest tokens are kept; `device` makes this browser a known device),
   *  add a guest token, sign out ('clear': everything but the device token goes), or forget
   *  everything ('erase', for an account that no longer exists). */
  session?: { set: UserTokens; maxAgeS: number; device?: string } | { addGuest: { principal: GuestPrincipal; token: string } } | 'clear' | 'erase';
  headers?: Record<string, string>;
  /** A body that is not JSON (a CSV download); sent as is with this content type. */
  raw?: { contentType: string; text: string };
}

type Schema = z.ZodType;
type In<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface Route<B extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, P extends Schema | undefined = Schema | undefined> {
  method: Method;
  /** e.g. `/api/auth/me` or `/api/sessions/:id/state`. */
  path: string;
  /** Who may call it (shared/domain/permissions.ts): the router enforces the sign-in the
   *  permission needs; the handler loads its thing through shared/access, which applies the rest.
   *  Routes signed by Forge or the scheduler authenticate by a credential they check themselves,
   *  never by the cookie, so a cross-site request could not act for anyone: no Origin check. */
  permission: Permission;
  /** The handler validates the body itself (with `parseBody`) after checking its exact bytes;
   *  the router only enforces size and content type. */
  rawBody?: true;
  body?: B;
  query?: Q;
  params?: P;
  rateLimits?: (input: { body: In<B> }, ctx: HandlerContext) => RateLimitKey[] | Promise<RateLimitKey[]>;
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

/** Validates input that a `rawBody` route parses itself, with the same errors as the router's. */
export function parseBody<S extends Schema>(schema: S, rawBody: Buffer): z.infer<S> {
  return validate(schema, rawBody.length > 0 ? parseJsonBody(rawBody) : undefined, 'body') as z.infer<S>;
}

/** Validates the query of a request target (`/path?a=1`) that a route reads only after its own checks. */
export function parseQuery<S extends Schema>(schema: S, target: string): z.infer<S> {
  return validate(schema, Object.fromEntries(parseTarget(target).searchParams), 'query') as z.infer<S>;
}

function validate<S extends Schema | undefined>(schema: S, value: unknown, where: string): In<S> {
  if (!schema) return noInput(value, where) as In<S>;
  return validated(schema.safeParse(value), where) as In<S>;
}

/** As `validate`, for schemas with asynchronous checks too (a new password against the common list). */
async function validateAsync<S extends Schema | undefined>(schema: S, value: unknown, where: string): Promise<In<S>> {
  if (!schema) return noInput(value, where) as In<S>;
  return validated(await schema.safeParseAsync(value), where) as In<S>;
}

function noInput(value: unknown, where: string): undefined {
  if (value !== undefined && where === 'body') throw new HttpError('invalid_request', 'This request takes no body.');
  return undefined;
}

function validated<T>(r: z.ZodSafeParseResult<T>, where: string): T {
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
    throw new HttpError('invalid_request', `The request's ${where} is not valid.`, { issues });
  }
  return r.data;
}

const signedElsewhere = (p: Permission) => PERMISSIONS[p].signIn === 'forge' || PERMISSIONS[p].signIn === 'scheduler';

/**
 * Identifies the caller and refuses one who does not get past the route's sign-in (401). Routes
 * signed by Forge or the scheduler check their own credential (never the cookie) in the handler.
 */
async function authenticate(ctx: HandlerContext, permission: Permission): Promise<void> {
  if (signedElsewhere(permission)) return;
  Object.assign(ctx, await identifyCaller(ctx.session, ctx.config, ctx.now));
  const credential = credentialOf(ctx);
  if (signedInFor(permission, credential)) return;
  const refusal = signInRefusal(credential);
  if (!refusal.allow && refusal.code === 'token_expired') throw new HttpError('token_expired', 'Your session needs refreshing.');
  throw new HttpError('unauthenticated', 'Sign in first.');
}

/** The Set-Cookie header for a handler's session change; user, guest and device tokens live side by side. */
function cookieHeader(change: NonNullable<HandlerResult['session']>, ctx: HandlerContext): string {
  if (change === 'erase') return clearedSessionCookieHeader();
  const device = ctx.session?.device;
  // The cookie lives as long as its longest-lived token; each token's own expiry is checked on use.
  const write = (value: SessionCookie, maxAgeS: number) => sessionCookieHeader(value, value.device ? Math.max(maxAgeS, ctx.config.deviceTokenTtlS) : maxAgeS);
  if (change === 'clear') return write({ guestTokens: [], device }, 0);
  if ('set' in change) return write({ user: change.set, guestTokens: ctx.guests.map((g) => g.token), device: change.device ?? device }, change.maxAgeS);
  const added = change.addGuest;
  const others = ctx.guests.filter((g) => g.principal.sessionId !== added.principal.sessionId).map((g) => g.token);
  const user = ctx.session?.user;
  const maxAgeS = Math.max(ctx.config.guestTokenTtlS, user ? ctx.config.refreshTokenTtlS : 0);
  return write({ user, guestTokens: [added.token, ...others].slice(0, MAX_GUEST_TOKENS), device }, maxAgeS);
}

class RawBody { constructor(readonly contentType: string, readonly text: string) {} }

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]>): void {
  for (const [k, v] of Object.entries(API_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.statusCode = status;
  if (body === undefined || status === 204 || status === 304) { res.end(); return; }
  if (body instanceof RawBody) {
    res.setHeader('Content-Type', body.contentType);
    res.end(body.text);
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Routes a request; `matched` learns the route as soon as it is known, so the log line of a
 *  request refused later (400, 401, 429, 500) still names it. */
async function dispatch(routes: Route[], req: FunctionRequest, ctx: HandlerContext, matched: { route: string }): Promise<{ status: number; body: unknown; headers: Record<string, string | string[]> }> {
  const url = parseTarget(req.url);
  const method = (req.method ?? 'GET').toUpperCase();
  const candidates = routes.map((r) => ({ r, params: match(r.path, url.pathname) })).filter((c) => c.params);
  if (candidates.length === 0) throw new HttpError('not_found', 'No such endpoint.');
  const hit = candidates.find((c) => c.r.method === method);
  if (!hit) throw new HttpError('method_not_allowed', `Use ${candidates.map((c) => c.r.method).join(' or ')} here.`);
  const route = hit.r;
  matched.route = `${route.method} ${route.path}`;
  if (isStateChanging(method) && !signedElsewhere(route.permission)) checkOrigin(req.headers, ctx.config.siteOrigins);
  checkBodySize(req.rawBody, req.headers['content-length']);
  const hasBody = (req.rawBody?.length ?? 0) > 0;
  if (hasBody) checkJsonContentType(req.headers['content-type']);
  const body = route.rawBody ? undefined as In<undefined> : await validateAsync(route.body, hasBody ? parseJsonBody(req.rawBody) : undefined, 'body');
  const query = validate(route.query, Object.fromEntries(url.searchParams), 'query');
  const params = validate(route.params, hit.params, 'path');
  await authenticate(ctx, route.permission);
  if (route.rateLimits && ctx.config.rateLimits) {
    // Only login's limits need a read first; the poll's and a vote's stay a plain list, without a promise hop.
    const keys = route.rateLimits({ body }, ctx);
    await enforceRateLimits(Array.isArray(keys) ? keys : await keys, ctx.now);
  }
  const result = await route.handler({ body, query, params }, ctx);
  const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
  if (result.session) headers['Set-Cookie'] = cookieHeader(result.session, ctx);
  const out = result.raw ? new RawBody(result.raw.contentType, result.raw.text) : result.body;
  return { status: result.status ?? (out === undefined ? 204 : 200), body: out, headers };
}

/** No handler runs without every secret: a request answers 503 rather than write and then fail. */
async function secretsOrUnavailable(): Promise<void> {
  try {
    await requireSecrets();
  } catch (e) {
    log('ERROR', 'secrets unavailable', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    throw new HttpError('unavailable', 'Reckon cannot serve requests right now.');
  }
}

/** How the store's own warnings (the Firestore transport's set-up) reach the log. */
const warnOfStore = (message: string, fields: Record<string, unknown>): void => log('WARNING', message, fields);

/** The HTTP handler of one function (register it with functions-framework's `http()`). */
export function createHttpFunction(functionName: string, routes: Route[]): (req: FunctionRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    // Should a domain be active all the same (one created before no-domains.ts loaded), leave it:
    // while one is active Node tracks every promise the request creates.
    (process as { domain?: { exit(): void } }).domain?.exit();
    const started = performance.now();
    // randomUUID draws from a pooled entropy buffer; randomBytes per request showed in profiles.
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16);
    const counters: FirestoreUsage = { reads: 0, writes: 0 };
    let status = 500;
    const matched = { route: 'unmatched' };
    let contention = false;
    await countFirestoreUsage(counters, async () => {
      let config: Config | undefined;
      try {
        config = getConfig();
        const ip = clientIp(req.headers['x-forwarded-for'], req.socket?.remoteAddress, config.trustedProxies);
        const network = networkOf(ip);
        const ctx: HandlerContext = {
          principal: undefined,
          userTokenExpired: false,
          guests: [],
          session: readSessionCookie(req.headers.cookie),
          ifNoneMatch: typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : undefined,
          authorization: req.headers.authorization,
          clientIp: ip,
          clientNetwork: network,
          ownNetwork: config.clientAddressesReliable ? network : undefined,
          now: Date.now(),
          config,
          requestId,
          request: { method: (req.method ?? 'GET').toUpperCase(), target: req.url ?? '/', headers: req.headers, rawBody: req.rawBody ?? Buffer.alloc(0) },
        };
        await secretsOrUnavailable();
        const out = await dispatch(routes, req, ctx, matched);
        status = out.status;
        send(res, out.status, out.body, { ...out.headers, 'X-Request-Id': requestId });
      } catch (e) {
        const busy = e instanceof HttpError ? undefined : transientStoreError(e);
        const err = e instanceof HttpError ? e : busy ?? new HttpError('internal', 'Something went wrong on our side.');
        const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        // Busy is expected under load and the caller retries: a warning. A deadline, quota or outage
        // is an error. Neither's stack says anything the message does not.
        if (busy) { contention = isContention(e); log(contention ? 'WARNING' : 'ERROR', contention ? 'store busy' : 'store unavailable', { requestId, function: functionName, error }); }
        else if (!(e instanceof HttpError)) log('ERROR', 'unhandled error', { requestId, function: functionName, error, stack: e instanceof Error ? e.stack : undefined });
        status = err.status;
        const headers: Record<string, string> = { 'X-Request-Id': requestId };
        if (err.extra.retryAfterS !== undefined) headers['Retry-After'] = String(err.extra.retryAfterS);
        send(res, err.status, errorBody(err, requestId), headers);
      }
    });
    // Contention's 503 says "try again": counted among the 5xx by the alerts, logged as a warning.
    log(status >= 500 && !contention ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO', 'request', {
      requestId, function: functionName, route: matched.route, method: req.method, status,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      firestore: counters,
    });
    requestAnswered(warnOfStore);
  };
}
