// One closed set of error codes, one table from code to status, one envelope.

export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  token_expired: 401,
  forge_signature_missing: 401,
  forge_signature_malformed: 401,
  forge_timestamp_out_of_range: 401,
  forge_signature_invalid: 401,
  forge_installation_revoked: 401,
  forge_delivery_replayed: 409,
  forge_cloud_id_mismatch: 403,
  forge_token_invalid: 401,
  forge_connect_code_invalid: 403,
  forge_site_bound_elsewhere: 409,
  forge_site_not_bound: 409,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_a_voter: 403,
  email_taken: 409,
  conflict: 409,
  last_admin: 409,
  session_closed: 409,
  not_current_issue: 409,
  stale_round: 409,
  round_revealed: 409,
  not_revealed: 409,
  no_current_issue: 409,
  limit_reached: 409,
  value_not_in_deck: 400,
  jira_credentials_rejected: 400,
  jira_site_not_found: 400,
  jira_jql_invalid: 400,
  jira_forbidden: 403,
  jira_connection_broken: 409,
  jira_rate_limited: 429,
  jira_unavailable: 503,
  body_too_large: 413,
  headers_too_large: 431,
  request_timeout: 408,
  unsupported_media_type: 415,
  rate_limited: 429,
  ai_quota_exceeded: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: { path: string; message: string }[]; retryAfterS?: number } = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export function errorBody(err: HttpError, requestId: string): object {
  const error: Record<string, unknown> = { code: err.code, message: err.message, requestId };
  if (err.extra.issues) error.issues = err.extra.issues;
  return { error };
}
