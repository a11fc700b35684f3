// functions-framework parses every request body before the function runs: JSON, text, forms and
// raw bytes, each up to 1 GB (its limit is fixed; there is no option). A 28 MB `[[[[…]]]]` then
// costs seconds of CPU and a gigabyte of memory before Reckon's 64 KiB check, and a malformed
// body is answered by Express with an HTML page that logs the body. Reckon parses bodies itself
// (request-guards.ts), so the framework's parsers are replaced by one bounded reader: it keeps
// the raw bytes in `req.rawBody` (as the framework does) and stops reading past the limit, and
// the router answers 413 or `invalid_json` with its envelope. The framework builds its parsers
// from body-parser when it creates the server, after it loaded the function, so this module
// (loaded with the router) replaces them first. Event and CloudEvent functions read `req.body`,
// so they could not share a process with this module; Reckon has only HTTP functions.
// docs/decisions.md, "Bodies are read by Reckon".
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './request-guards.js';

type Next = (err?: unknown) => void;
type BodyRequest = IncomingMessage & { rawBody?: Buffer; body?: unknown; reckonBodyRead?: true };

/**
 * Reads at most MAX_BODY_BYTES + one chunk: a declared length over the limit is not read at all
 * (the router refuses it by its Content-Length), a longer undeclared body is cut short (the
 * router refuses it by the bytes kept) and the rest is drained unread.
 */
export function readBoundedBody(req: BodyRequest, _res: ServerResponse, next: Next): void {
  if (req.reckonBodyRead) { next(); return; }
  req.reckonBodyRead = true;
  req.body = undefined;
  const declared = req.headers['content-length'];
  if ((declared === undefined && req.headers['transfer-encoding'] === undefined) || Number(declared) > MAX_BODY_BYTES) { next(); return; }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    req.off('data', onData);
    req.rawBody = Buffer.concat(chunks, size);
    next();
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_BODY_BYTES) { finish(); req.resume(); }
  };
  req.on('data', onData);
  req.once('end', finish);
  // A client that goes away gets no answer; the request is still finished once.
  req.once('error', finish);
  req.once('aborted', finish);
}

interface BodyParserModule { json: unknown; raw: unknown; text: unknown; urlencoded: unknown }

function replaceFrameworkParsers(): void {
  const local = createRequire(import.meta.url);
  // The body-parser the framework itself requires (resolved from its own folder).
  const frameworkRequire = createRequire(local.resolve('@google-cloud/functions-framework'));
  const bodyParser = frameworkRequire('body-parser') as BodyParserModule;
  for (const name of ['json', 'raw', 'text', 'urlencoded'] as const) {
    if (typeof bodyParser[name] !== 'function') throw new Error(`body-parser.${name} is not a function: functions-framework changed, see shared/http/bounded-body.ts`);
    bodyParser[name] = () => readBoundedBody;
  }
}

replaceFrameworkParsers();
