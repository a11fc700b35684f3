// Jira is read-only by construction, down to the wire. jira.js calls the global `fetch`; while a
// Jira request is in flight (an AsyncLocalStorage context set by our client), `fetch` is wrapped:
// only the connection's own origin, only GET and the few reads Jira defines as POST, no
// redirects (a redirect could point anywhere: server-side request forgery), a timeout, and no
// answer Jira gave anonymously (a token it no longer accepts).
// Outside that context `fetch` is untouched.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The POST endpoints Jira defines for reads; nothing else but GET ever leaves Reckon. */
export const READ_POSTS = ['/rest/api/3/search/jql', '/rest/api/3/search/approximate-count', '/rest/api/3/issue/bulkfetch', '/rest/api/3/worklog/list'];

export class JiraWriteRefusedError extends Error {}
export class JiraTimeoutError extends Error {}
/** Jira did not accept the credentials and answered as it answers anyone not logged in. */
export class JiraAnonymousAnswerError extends Error {}

/**
 * Whether Jira answered without logging the request in: with a revoked or wrong token, Jira Cloud
 * answers what anyone may ask anonymously (searches, bulk fetches: 200 with nothing found; an
 * issue: 404) and says so only in X-Seraph-LoginReason. Reckon always sends credentials, so such
 * an answer is never the truth. (A 401 is jira.js's AuthError already.)
 */
export function answeredAnonymously(res: Response): boolean {
  return res.status !== 401 && /AUTHENTICATED_FAILED|AUTHENTICATION_DENIED/i.test(res.headers.get('x-seraph-loginreason') ?? '');
}

export interface JiraCallContext { origin: string; timeoutMs: number }
const context = new AsyncLocalStorage<JiraCallContext>();

/** Why a request may not be sent to Jira, or undefined when it is a read of the connection's site. */
export function refuseJiraRequest(method: string, url: URL, origin: string): string | undefined {
  if (url.origin !== origin) return `only ${origin} may be called`;
  if (!url.pathname.startsWith('/rest/api/3/') && !url.pathname.startsWith('/rest/agile/1.0/')) return `${url.pathname} is not a Jira REST path`;
  if (method === 'GET') return undefined;
  if (method === 'POST' && READ_POSTS.includes(url.pathname)) return undefined;
  return `${method} ${url.pathname} is not a read`;
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const ctx = context.getStore();
    if (!ctx) return original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const refusal = refuseJiraRequest(method, url, ctx.origin);
    if (refusal) throw new JiraWriteRefusedError(refusal);
    let res: Response;
    try {
      res = await original(input, { ...init, redirect: 'error', signal: AbortSignal.timeout(ctx.timeoutMs) });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'TimeoutError') throw new JiraTimeoutError(`Jira did not answer within ${ctx.timeoutMs} ms`);
      throw e;
    }
    if (answeredAnonymously(res)) {
      await res.body?.cancel().catch(() => undefined);
      throw new JiraAnonymousAnswerError(`${url.pathname} was answered anonymously: ${res.headers.get('x-seraph-loginreason')}`);
    }
    return res;
  }) as typeof fetch;
}

/** Runs `call` with every fetch it makes held to the rules above. */
export function withJiraGuard<T>(ctx: JiraCallContext, call: () => Promise<T>): Promise<T> {
  install();
  return context.run(ctx, call);
}
