// Checks made on the raw request before any handler runs: Origin (CSRF), content type, size,
// and a JSON parse that refuses prototype-polluting keys.
import { HttpError } from './errors.js';

export const MAX_BODY_BYTES = 64 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isStateChanging(method: string): boolean {
  return UNSAFE.has(method);
}

/** A state-changing request must come from the site itself. */
export function checkOrigin(headers: Record<string, string | string[] | undefined>, siteOrigin: string): void {
  const origin = headers.origin;
  if (typeof origin !== 'string' || origin !== siteOrigin) throw new HttpError('origin_not_allowed', 'This request must come from the Reckon site.');
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

/** Parses a JSON body; keys that could reach an object's prototype are refused outright. */
export function parseJsonBody(rawBody: Buffer | undefined): unknown {
  const text = rawBody?.toString('utf8') ?? '';
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new HttpError('invalid_request', `The key "${key}" is not allowed.`);
      return value;
    });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError('invalid_json', 'The body is not valid JSON.');
  }
}
