// The REST face of the emulator: Firestore's HTTP/1.1 JSON API, which the official client speaks
// with `preferRest`. Each request is routed by the method's own `google.api.http` rule, read from
// the protocol definitions the client ships, and turned into the same decoded request the gRPC
// face hands the engine; answers go back in proto3 JSON (streams as one JSON array), errors in
// Google's JSON error shape with the HTTP status real Firestore gives each gRPC code.
import type http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import protobuf from 'protobufjs';
import { fromProto3JSON, toProto3JSON, type JSONObject, type JSONValue } from 'proto3-json-serializer';
import { status } from '@grpc/grpc-js';
import { asRpcError, type Engine } from './engine.js';
import { LOADER_OPTIONS } from './proto.js';
import { engineMethods } from './methods.js';
import { RpcError } from './writes.js';

interface HttpRule { get?: string; post?: string; patch?: string; delete?: string; body?: string; additional_bindings?: HttpRule | HttpRule[] }
interface Route { rpc: protobuf.Method; verb: string; pattern: RegExp; vars: string[]; suffix?: string; body?: string }
interface Resolved { rpc: protobuf.Method; request: Record<string, unknown> }

/** HTTP status per gRPC code, as Google's REST APIs map them (google.rpc.Code). */
const HTTP_STATUS: Record<number, number> = {
  [status.CANCELLED]: 499, [status.UNKNOWN]: 500, [status.INVALID_ARGUMENT]: 400, [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404, [status.ALREADY_EXISTS]: 409, [status.PERMISSION_DENIED]: 403, [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400, [status.ABORTED]: 409, [status.OUT_OF_RANGE]: 400, [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500, [status.UNAVAILABLE]: 503, [status.DATA_LOSS]: 500, [status.UNAUTHENTICATED]: 401,
};

class BadRequest extends Error { readonly code = status.INVALID_ARGUMENT; }
class NoRoute extends Error { readonly code = status.NOT_FOUND; }

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Regex source for one path template segment list, e.g. `projects/*\/databases/*\/documents/*\/**`. */
function segmentsSource(pattern: string): string {
  return pattern.split('/').map((s, i) => {
    const sep = i === 0 ? '' : '/';
    if (s === '**') return `(?:${sep}[^/]+)*`;
    if (s === '*') return `${sep}[^/]+`;
    return sep + escapeRegExp(s);
  }).join('');
}

function compile(rpc: protobuf.Method, verbName: string, template: string, body?: string): Route {
  const colon = template.lastIndexOf(':');
  const suffix = colon > template.lastIndexOf('}') ? template.slice(colon) : undefined;
  const path = suffix ? template.slice(0, colon) : template;
  const vars: string[] = [];
  let source = '';
  let last = 0;
  for (const m of path.matchAll(/\{([^}=]+)(?:=([^}]*))?\}/g)) {
    source += escapeRegExp(path.slice(last, m.index));
    vars.push(m[1]!);
    source += `(${segmentsSource(m[2] ?? '*')})`;
    last = m.index + m[0].length;
  }
  source += escapeRegExp(path.slice(last));
  return { rpc, verb: verbName.toUpperCase(), pattern: new RegExp(`^${source}$`), vars, suffix, body };
}

function rulesOf(rpc: protobuf.Method): HttpRule[] {
  const options = (rpc.parsedOptions ?? []) as Record<string, HttpRule>[];
  const rule = options.find((o) => o['(google.api.http)'])?.['(google.api.http)'];
  if (!rule) return [];
  const more = rule.additional_bindings;
  return [rule, ...(Array.isArray(more) ? more : more ? [more] : [])];
}

function routesOf(service: protobuf.Service): Route[] {
  const routes: Route[] = [];
  for (const rpc of service.methodsArray) {
    for (const rule of rulesOf(rpc)) {
      for (const verb of ['get', 'post', 'patch', 'delete'] as const) {
        const template = rule[verb];
        if (template) routes.push(compile(rpc, verb, template, rule.body));
      }
    }
  }
  return routes;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Sets `value` at a dotted field path (`document.name`) of `target`. */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.').map(camel);
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[parts.at(-1)!] = value;
}

/** The proto field at a dotted path of `type`, for typing query parameters. */
function fieldAt(type: protobuf.Type, dotted: string): protobuf.Field | undefined {
  let t: protobuf.Type | undefined = type;
  let field: protobuf.Field | undefined;
  for (const part of dotted.split('.').map(camel)) {
    field = t && Object.hasOwn(t.fields, part) ? t.fields[part] : undefined; // not `constructor` or `__proto__`
    if (!field) return undefined;
    t = field.resolve().resolvedType instanceof protobuf.Type ? (field.resolvedType as protobuf.Type) : undefined;
  }
  return field;
}

function decode(raw: string): string {
  try { return decodeURIComponent(raw); } catch { throw new BadRequest(`malformed percent-encoding in "${raw}"`); }
}

function queryInto(request: Record<string, unknown>, type: protobuf.Type, query: URLSearchParams): void {
  for (const key of new Set(query.keys())) {
    if (key.startsWith('$')) continue; // system parameters ($alt, $prettyPrint)
    const field = fieldAt(type, key);
    if (!field) throw new BadRequest(`Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter.`);
    const values = query.getAll(key).map((v): JSONValue => {
      if (field.type === 'bool') return v === 'true';
      if (['int32', 'uint32', 'sint32', 'double', 'float'].includes(field.type)) return Number(v);
      return v;
    });
    setPath(request, key, field.repeated ? values : values.at(-1));
  }
}

/** Even segments after `documents/` name a document; odd name a collection. */
function documentDepthParity(path: string): number {
  const i = path.indexOf('/documents/');
  return i < 0 ? 1 : path.slice(i + '/documents/'.length).split('/').length % 2;
}

function resolve(routes: Route[], method: string, url: URL, body: JSONObject | undefined): Resolved {
  const pathname = url.pathname.replace(/^\/+/, '/');
  const candidates: { route: Route; values: string[] }[] = [];
  for (const route of routes) {
    if (route.verb !== method) continue;
    let path = pathname;
    if (route.suffix) {
      if (!path.endsWith(route.suffix)) continue;
      path = path.slice(0, -route.suffix.length);
    }
    const m = route.pattern.exec(path);
    if (m) candidates.push({ route, values: m.slice(1).map(decode) });
  }
  // A custom method (`documents/a/b:runQuery`) wins over a collection id that happens to end in one
  // (CreateDocument); GET documents/a/b is a document (GetDocument), documents/a a collection (ListDocuments).
  const verbs = candidates.filter((c) => c.route.suffix);
  const chosen = verbs.length > 0 ? verbs[0]
    : candidates.length > 1 ? candidates.find((c) => (c.route.rpc.name === 'ListDocuments') === (documentDepthParity(pathname) === 1))
    : candidates[0];
  if (!chosen) throw new NoRoute(`no Firestore method answers ${method} ${url.pathname}`);
  const { route, values } = chosen;
  const type = route.rpc.resolvedRequestType!;
  const request: Record<string, unknown> = route.body === '*' ? { ...(body ?? {}) } : {};
  if (route.body && route.body !== '*' && body) setPath(request, route.body, body);
  queryInto(request, type, url.searchParams);
  route.vars.forEach((v, i) => setPath(request, v, values[i])); // the path names the resource, whatever the query says
  let message: protobuf.Message | null;
  try { message = fromProto3JSON(type, request as JSONObject); } catch (e) { throw new BadRequest(`Invalid JSON payload received. ${(e as Error).message}`); }
  if (!message) throw new BadRequest('Invalid JSON payload received.');
  return { rpc: route.rpc, request: type.toObject(message, LOADER_OPTIONS as protobuf.IConversionOptions) };
}

function toJson(type: protobuf.Type, decoded: object): JSONValue {
  return toProto3JSON(type.fromObject(decoded)) as JSONValue;
}

function send(res: http.ServerResponse, code: number, payload: JSONValue): void {
  const text = JSON.stringify(payload);
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, e: unknown): void {
  const err = e instanceof BadRequest || e instanceof NoRoute ? e : asRpcError(e);
  if (err.code === status.INTERNAL) console.error('[firestore-emulator] internal error', e);
  const httpStatus = HTTP_STATUS[err.code] ?? 500;
  send(res, httpStatus, { error: { code: httpStatus, message: err.message, status: status[err.code] ?? 'UNKNOWN' } });
}

const MAX_BODY = 64 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<JSONObject | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new BadRequest('request body is too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) { resolveBody(undefined); return; }
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        resolveBody(parsed as JSONObject);
      } catch {
        reject(new BadRequest('Invalid JSON payload received.'));
      }
    });
  });
}

/** An HTTP request listener that answers Firestore's REST API from `engine`. */
export function createRestListener(engine: Engine): http.RequestListener {
  const require = createRequire(import.meta.url);
  const firestoreDir = path.dirname(require.resolve('@google-cloud/firestore/package.json'));
  const json = JSON.parse(readFileSync(path.join(firestoreDir, 'build', 'protos', 'v1.json'), 'utf8')) as protobuf.INamespace;
  const service = protobuf.Root.fromJSON(json).lookupService('google.firestore.v1.Firestore');
  const routes = routesOf(service);
  const handlers = engineMethods(engine);
  return (req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://emulator');
        const body = await readBody(req);
        const { rpc, request } = resolve(routes, req.method ?? 'GET', url, body);
        const handler = handlers[rpc.name];
        if (!handler) throw new RpcError(status.UNIMPLEMENTED, `${rpc.name} is not implemented by Reckon's Firestore emulator over REST`);
        engine.count(rpc.name);
        const responseType = rpc.resolvedResponseType!;
        if (handler.stream) {
          // Collect first, as the gRPC face does: a failure part-way leaves no half answer.
          const out: JSONValue[] = [];
          handler.stream(request, (r) => out.push(toJson(responseType, r)));
          send(res, 200, out);
        } else {
          send(res, 200, toJson(responseType, handler.unary!(request)));
        }
      } catch (e) {
        sendError(res, e);
      }
    })();
  };
}
