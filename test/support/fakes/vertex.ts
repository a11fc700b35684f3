// A fake Vertex AI endpoint speaking the REST wire format @google/genai uses:
// POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent with a Google
// OAuth bearer token, answering `candidates`, `finishReason`, `usageMetadata`, or Google APIs'
// error bodies. The token comes from a fake STS endpoint (/v1/token) that google-auth-library's
// external-account credential exchanges a subject token (/subject-token) at. Each model call is
// recorded so tests assert what left Reckon; `script` makes the next calls fail in a chosen way.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type VertexBehaviour = 'ok' | 'safety' | 'blocked' | 'empty' | 'malformed' | 'rate_limited' | 'unavailable' | 'slow';

export interface VertexCall {
  project: string; location: string; model: string; authorization: string | undefined;
  body: {
    contents: { role?: string; parts: { text?: string }[] }[];
    systemInstruction?: { parts: { text?: string }[] };
    generationConfig?: { responseMimeType?: string; responseSchema?: Record<string, any>; maxOutputTokens?: number };
  };
  /** Everything the request carried, as text (for "never leaves Reckon" assertions). */
  raw: string;
}

export interface FakeVertex {
  url: string;
  calls: VertexCall[];
  tokenRequests: number;
  /** Behaviours for the next calls, first first; once used up, every call is 'ok'. */
  script: VertexBehaviour[];
  /** The JSON the model "answers" for an ok call; by default a plausible answer to the request's schema. */
  reply?: (call: VertexCall) => unknown;
  slowMs: number;
  close(): Promise<void>;
}

const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

/** A plausible answer to the schema: the middle card of an `estimate` enum, text for strings. */
function defaultReply(call: VertexCall): unknown {
  const props = call.body.generationConfig?.responseSchema?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries<any>(props)) {
    if (Array.isArray(p.enum)) out[name] = p.enum[Math.floor((p.enum.length - 1) / 2)];
    else if (p.type === 'NUMBER' || p.type === 'number') out[name] = 0.7;
    else out[name] = `Fake Gemini ${name}.`;
  }
  return out;
}

export async function startFakeVertex(port = 0): Promise<FakeVertex> {
  const issued = new Set<string>();
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/subject-token') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('fake-subject-token'); return; }
      if (req.method === 'POST' && url.pathname === '/v1/token') {
        const form = new URLSearchParams(raw);
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' || form.get('subject_token') !== 'fake-subject-token') {
          return send(res, 400, { error: 'invalid_grant', error_description: 'bad subject token' });
        }
        fake.tokenRequests++;
        const token = `ya29.fake-${fake.tokenRequests}`;
        issued.add(token);
        return send(res, 200, { access_token: token, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 });
      }
      const m = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):generateContent$/.exec(url.pathname);
      if (req.method !== 'POST' || !m) return send(res, 404, googleError(404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}`));
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      if (!token || !issued.has(token)) return send(res, 401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
      let body: VertexCall['body'];
      try { body = JSON.parse(raw); } catch { return send(res, 400, googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')); }
      const call: VertexCall = { project: m[1]!, location: m[2]!, model: decodeURIComponent(m[3]!), authorization: req.headers.authorization, body, raw };
      fake.calls.push(call);
      const usageMetadata = { promptTokenCount: 120 + Math.floor(raw.length / 40), candidatesTokenCount: 40, totalTokenCount: 160 + Math.floor(raw.length / 40) };
      const answer = (text: string | undefined, finishReason = 'STOP') =>
        send(res, 200, { candidates: [{ content: { role: 'model', parts: text === undefined ? [] : [{ text }] }, finishReason, index: 0 }], usageMetadata, modelVersion: call.model });
      const behaviour = fake.script.shift() ?? 'ok';
      switch (behaviour) {
        case 'safety': return send(res, 200, { candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }] }], usageMetadata, modelVersion: call.model });
        case 'blocked': return send(res, 200, { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata, modelVersion: call.model });
        case 'empty': return send(res, 200, { candidates: [], usageMetadata, modelVersion: call.model });
        case 'malformed': return answer('{"text": "an answer cut off in the mid', 'MAX_TOKENS');
        case 'rate_limited': return send(res, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted. Please try again later.'));
        case 'unavailable': return send(res, 503, googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
        case 'slow': { const t = setTimeout(() => answer(JSON.stringify((fake.reply ?? defaultReply)(call))), fake.slowMs); res.on('close', () => clearTimeout(t)); return; }
        default: return answer(JSON.stringify((fake.reply ?? defaultReply)(call)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const fake: FakeVertex = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: [], tokenRequests: 0, script: [], slowMs: 30_000,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return fake;
}
