// The only way Reckon talks to Jira: a jira.js client whose every request runs under the guard
// of guarded-fetch.ts (reads of the connection's own site only, no redirects, a timeout). The
// flat jira.js functions (`jira.js/cloud`, `jira.js/agile`) take this client.
import { createClient } from 'jira.js/core';
import type { Client } from 'jira.js/core';
import { getConfig } from '../../config/config.js';
import { withJiraGuard, JiraTimeoutError, JiraWriteRefusedError, JiraAnonymousAnswerError } from './guarded-fetch.js';
import { open } from '../../security/envelope.js';
import type { JiraConnectionRecord } from '../../store/jira-connections.js';

export interface JiraCredentials { siteOrigin: string; email: string; apiToken: string }

const TIMEOUT_MS = 15_000;

/**
 * Where requests for a site really go: the site itself, or locally (never in production) the
 * fake Jira named by RECKON_JIRA_FAKE_URL, so the site URL rules stay real in tests and demos.
 */
export function transportOrigin(siteOrigin: string): string {
  const config = getConfig();
  const fake = config.rawEnv.RECKON_JIRA_FAKE_URL;
  if (fake && config.env !== 'production') return new URL(fake).origin;
  return siteOrigin;
}

export function jiraClient(credentials: JiraCredentials, timeoutMs = TIMEOUT_MS): Client {
  const origin = transportOrigin(credentials.siteOrigin);
  const inner = createClient({
    host: origin,
    auth: { type: 'basic', email: credentials.email, apiToken: credentials.apiToken },
    // jira.js never retries a 429 by itself; Reckon decides about retries where it calls.
    onSchemaMismatch: 'silent',
  });
  return {
    async sendRequest(options) {
      try {
        return await withJiraGuard({ origin, timeoutMs }, () => inner.sendRequest(options));
      } catch (e) {
        // jira.js wraps whatever fetch throws in its NetworkError; the guard's own refusals are
        // the real reason, so they come back as themselves.
        const cause = (e as { cause?: unknown }).cause;
        if (cause instanceof JiraWriteRefusedError || cause instanceof JiraTimeoutError || cause instanceof JiraAnonymousAnswerError) throw cause;
        throw e;
      }
    },
  };
}

/** A client for a stored connection (its token opened from the envelope, for its tenant only). */
export async function clientForConnection(c: JiraConnectionRecord): Promise<Client> {
  return jiraClient({ siteOrigin: c.siteUrl, email: c.accountEmail, apiToken: await open(c.secret, c.tenantId) });
}
