// Checks made on the raw request before any handler runs: Origin (CSRF), content type, size,
// and a JSON parse that refuses prototype-polluting keys and text that is not well-formed.
import { HttpError } from './errors.js';

export const MAX_BODY_BYTES = 64 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return UNSAFE.has(method);
}

/** A state-changing request must come from the site itself (any of the origins it is served from). */
export function checkOrigin(headers: Record<string, string | string[] | undefined>, siteOrigins: readonly string[]): void {
  const origin = headers.origin;
  if (typeof origin !== 'string' || !siteOrigins.includes(origin)) throw new HttpError('origin_not_allowed', 'This request must come from the Reckon site.');
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new HttpError('origin_not_allowed', 'This request must come from the Reckon site.');
}

/** The URL of a request target; one that is not a path (`//[`, `*`) is a bad request, not a 500.
 *  Prefixing the origin keeps `//host/x` a path, as the request line means it. */
export function parseTarget(target: string | undefined): URL {
  if (target === undefined) return new URL('http://function/');
  try {
    if (target.startsWith('/')) return new URL(`http://function${target}`);
  } catch { /* answered below */ }
  throw new HttpError('invalid_request', 'The request target is not a valid path.');
}

export function checkBodySize(rawBody: Buffer | undefined, contentLength: string | undefined): void {
  if ((contentLength !== undefined && Number(contentLength) > MAX_BODY_BYTES) || (rawBody?.length ?? 0) > MAX_BODY_BYTES) {
    throw new HttpError('body_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
  }
}

export function checkJsonContentType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError('unsupported_media_type', 'Send the body as application/json.');
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// Bytes that are not UTF-8 decode to U+FFFD, so a lone surrogate (half of a UTF-16 pair, not
// text: hashed or stored it becomes U+FFFD, and two different inputs become one) can only arrive
// as a \uD800-\uDFFF escape. Bodies without one skip the walk.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /\p{Cs}/u;

/** The path of the first string (or key) in a parsed body that is not well-formed Unicode. */
function illFormedPath(body: unknown): string | undefined {
  const stack: [unknown, string][] = [[body, 'body']];
  while (stack.length > 0) { // a loop, not recursion: 64 KiB of `[` nests 32,000 deep
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') { if (LONE_SURROGATE.test(value)) return path; continue; }
    if (value === null || typeof value !== 'object') continue;
    for (const [k, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(k)) return path;
      stack.push([v, `${path}.${k}`]);
    }
  }
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a JSON body; keys that could reach an object's prototype, and strings that are not
 *  well-formed Unicode, are refused outright. */
export function parseJsonBody(rawBody: Buffer | undefined): unknown {
  let text: string;
  try {
    // Fatal: bytes that are not UTF-8 would each become U+FFFD, so "\xff"×8 and "\xc0"×8 would
    // be one password. RFC 8259 says JSON exchanged between systems is UTF-8.
    text = rawBody ? UTF8.decode(rawBody) : '';
  } catch {
    throw new HttpError('invalid_json', 'The body is not UTF-8 text.');
  }
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new HttpError('invalid_request', `The key "${key}" is not allowed.`);
      return value;
    });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError('invalid_json', 'The body is not valid JSON.');
  }
  const illFormed = SURROGATE_ESCAPE.test(text) ? illFormedPath(body) : undefined;
  if (illFormed !== undefined) {
    const message = 'Contains an unpaired surrogate (\\uD800-\\uDFFF), which is not text.';
    throw new HttpError('invalid_request', 'The body contains text that is not well-formed Unicode.', { issues: [{ path: illFormed, message }] });
  }
  return body;
}
