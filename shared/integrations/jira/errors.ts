// What a Jira failure means to the person who asked: jira.js's errors turned into Reckon's
// error codes, with Jira's own message where it explains (a JQL error), and bounded waiting on
// rate limits (jira.js never retries a 429 itself).
import { AuthError, ForbiddenError, NotFoundError, RateLimitError, ServerError, NetworkError, ApiError } from 'jira.js';
import { HttpError } from '../../http/errors.js';
import { JiraTimeoutError, JiraWriteRefusedError, JiraAnonymousAnswerError } from './guarded-fetch.js';
import { capText } from '../../domain/text.js';

/** Jira's own explanation in an error body (`errorMessages`, `errors`). */
export function jiraMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.length < 500 ? body : undefined;
  const b = body as { errorMessages?: unknown; errors?: unknown };
  const messages = [...(Array.isArray(b.errorMessages) ? b.errorMessages : []), ...(b.errors && typeof b.errors === 'object' ? Object.values(b.errors) : [])];
  const text = messages.filter((m): m is string => typeof m === 'string').join(' ');
  return text ? capText(text, 500) : undefined;
}

/** Turns a failed Jira call into an HttpError; `connecting` when the user is typing credentials now. */
export function jiraFailure(e: unknown, connecting = false): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof AuthError || e instanceof JiraAnonymousAnswerError) {
    return connecting
      ? new HttpError('jira_credentials_rejected', 'Jira did not accept this email and API token.')
      : new HttpError('jira_connection_broken', "Jira no longer accepts this connection's API token; an admin needs to connect it again.");
  }
  if (e instanceof ForbiddenError) return new HttpError('jira_forbidden', `The Jira account lacks permission for this. ${jiraMessage((e as ApiError).body) ?? ''}`.trim());
  if (e instanceof RateLimitError) {
    return new HttpError('jira_rate_limited', 'Jira asks us to slow down; try again shortly.', { retryAfterS: Math.max(1, Math.ceil((e.retryAfterMs ?? 10_000) / 1000)) });
  }
  // While connecting, a 404 from /myself or no answer at all means the address is wrong (a site
  // that was never created, a typo in the name), not that Jira is down.
  if (connecting && (e instanceof NotFoundError || e instanceof NetworkError)) return new HttpError('jira_site_not_found', 'No Jira Cloud site answered at this address; check the site URL.');
  if (e instanceof NotFoundError) return new HttpError('not_found', jiraMessage(e.body) ?? 'Jira says this does not exist.');
  if (e instanceof ServerError || e instanceof NetworkError || e instanceof JiraTimeoutError) return new HttpError('jira_unavailable', 'Jira could not be reached or failed; try again later.');
  if (e instanceof JiraWriteRefusedError) return new HttpError('internal', 'Something went wrong on our side.');
  if (e instanceof ApiError && e.status === 400) return new HttpError('jira_jql_invalid', jiraMessage(e.body) ?? 'Jira refused the query.');
  return new HttpError('jira_unavailable', 'Jira answered in a way Reckon did not expect; try again later.');
}

const MAX_WAIT_MS = 5_000;

/** Runs a Jira read, waiting out short rate limits (at most twice, at most 5 s each). */
export async function readJira<T>(call: () => Promise<T>, connecting = false): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const wait = e instanceof RateLimitError ? e.retryAfterMs ?? 1000 : undefined;
      if (wait === undefined || wait > MAX_WAIT_MS || attempt >= 2) throw jiraFailure(e, connecting);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
