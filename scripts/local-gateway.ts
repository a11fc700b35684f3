// Plays Firebase Hosting locally: routes /api/** to the functions by the rewrites in
// firebase.json (the one source of truth for routing), serves the built site with the headers
// firebase.json declares, and appends the caller's address to X-Forwarded-For as Google's
// front end does. Each function runs inside the real functions-framework (getTestServer).
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { API_HEADERS } from '../shared/http/headers.js';
import { log } from '../shared/http/log.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Rewrite { source: string; function?: { functionId: string } | string; destination?: string }
export interface HostingConfig { rewrites: Rewrite[]; headers: { source: string; headers: { key: string; value: string }[] }[] }

export function readHostingConfig(): HostingConfig {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'firebase.json'), 'utf8')).hosting as HostingConfig;
}

/** Firebase Hosting globs: `**` spans segments, `*` stays inside one. */
export function globToRegExp(glob: string): RegExp {
  const re = glob.split('**').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('.*');
  return new RegExp(`^${re}$`);
}

export const functionId = (r: Rewrite) => (typeof r.function === 'string' ? r.function : r.function?.functionId);

/** Loads every function named in the rewrites (each registers itself with functions-framework). */
async function loadFunctions(config: HostingConfig): Promise<Map<string, http.Server>> {
  const servers = new Map<string, http.Server>();
  for (const r of config.rewrites) {
    const id = functionId(r);
    if (!id || servers.has(id)) continue;
    await import(path.join(ROOT, 'functions', id, 'index.ts'));
    servers.set(id, getTestServer(id));
  }
  return servers;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.map': 'application/json' };

/** The path of a request target, or undefined when it is not one (`//[`, `/%`, `*`): a target
 *  must start with one slash (`//x` would read as a host) and its escapes must decode. */
export function targetPath(target: string | undefined): string | undefined {
  if (!target?.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    // Prefixing the origin keeps `//host/...` a path, as the HTTP request line means it.
    const pathname = new URL(`http://local${target}`).pathname;
    decodeURIComponent(pathname);
    return pathname;
  } catch {
    return undefined;
  }
}

export function answerJson(res: http.ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) { res.destroy(); return; }
  res.statusCode = status;
  for (const [k, v] of Object.entries(API_HEADERS)) res.setHeader(k, v);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: { code, message, requestId: '' } }));
}

/** Requests Node's HTTP parser refuses (a control byte in the target, a negative Content-Length,
 *  headers past its limit) never reach the gateway; Node's own answer is a bare 400 without the
 *  security headers or the error envelope. Answer them as every other refused request is. */
export function answerParserErrors(server: http.Server): void {
  // The last response each connection has under way: pipelined requests queue their responses,
  // and the error's answer must follow all of them.
  const lastResponse = new WeakMap<object, http.ServerResponse>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => { lastResponse.set(req.socket, res); });
  const answered = new WeakSet<object>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
    // The parser reports the same error again for each later chunk: answer once. After a timeout
    // the parser still works, so read nothing more: a request arriving late must not run.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.pause();
    // A reset socket has nobody to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    // Requests pipelined before the bad one are still being answered: their answers go first,
    // then this one, and the connection closes (never two answers written into each other).
    const last = lastResponse.get(socket);
    if (last && !last.writableFinished) {
      // Before Node's own listener, which may end the socket once that answer is out.
      last.prependOnceListener('finish', () => answerParserError(err, socket));
      last.once('close', () => { if (!last.writableFinished) socket.destroy(); });
      return;
    }
    answerParserError(err, socket);
  });
}

function answerParserError(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
  if (!socket.writable) { socket.destroy(); return; }
  const [status, reason, code, message] = err.code === 'HPE_HEADER_OVERFLOW'
    ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large.']
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request_timeout', 'The request took too long to arrive.']
      : [400, 'Bad Request', 'invalid_request', 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code, message, requestId: '' } });
  const headers = { ...API_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
  // Closed at once it could cut the answer short; left to the client, a connection that never
  // closes would stay: a second later it goes either way.
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function serveStatic(webDir: string, urlPath: string, config: HostingConfig, res: http.ServerResponse): void {
  let rel = decodeURIComponent(urlPath);
  let file = path.join(webDir, rel);
  if (path.relative(webDir, file).startsWith('..') || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    const fallback = config.rewrites.find((r) => r.destination && globToRegExp(r.source).test(urlPath));
    rel = fallback?.destination ?? '/404.html';
    file = path.join(webDir, rel);
  }
  for (const h of config.headers) if (globToRegExp(h.source).test(rel)) for (const { key, value } of h.headers) res.setHeader(key, value);
  if (!fs.existsSync(file)) { res.statusCode = 404; res.end('Not found (run npm run build:web)'); return; }
  res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  fs.createReadStream(file).on('error', () => answerJson(res, 500, 'internal', 'The file could not be read.')).pipe(res);
}

/**
 * A request handler for the whole site: functions behind their rewrites, then static files.
 * It never throws: a request that is not one answers 400, anything else that fails answers 500
 * and is logged, so no single request can stop the dev server (and its emulator).
 */
export interface GatewayOptions {
  /** The caller's address as the front end would see it; the socket's by default. The tests use
   *  it to stand for addresses this machine has not got (IPv6 ones), the dev server never. */
  peerAddress?: (req: http.IncomingMessage) => string | undefined;
}

export async function createGateway(webDir = path.join(ROOT, 'dist', 'web'), options: GatewayOptions = {}): Promise<http.RequestListener> {
  const config = readHostingConfig();
  const servers = await loadFunctions(config);
  const apiRewrites = config.rewrites.filter((r) => functionId(r)).map((r) => ({ re: globToRegExp(r.source), id: functionId(r)! }));
  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const urlPath = targetPath(req.url);
    if (urlPath === undefined) { answerJson(res, 400, 'invalid_request', 'The request target is not a valid path.'); return; }
    const target = apiRewrites.find((r) => r.re.test(urlPath));
    if (target) {
      const forwarded = req.headers['x-forwarded-for'];
      const peer = options.peerAddress ? options.peerAddress(req) : req.socket.remoteAddress;
      req.headers['x-forwarded-for'] = [forwarded, peer].filter(Boolean).join(', ');
      servers.get(target.id)!.emit('request', req, res);
      return;
    }
    if (urlPath.startsWith('/api/')) { answerJson(res, 404, 'not_found', 'No such endpoint.'); return; }
    serveStatic(webDir, urlPath, config, res);
  };
  return (req, res) => {
    try {
      route(req, res);
    } catch (e) {
      log('ERROR', 'gateway error', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      answerJson(res, 500, 'internal', 'Something went wrong on our side.');
    }
  };
}
