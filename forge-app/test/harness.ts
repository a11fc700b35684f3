// The Forge runtime boundary for the app's tests — the one place the platform is faked, like the
// fake Jira: requestJira goes to the fake Jira site (as the app's own permission would), Forge
// Remote calls carry an invocation token minted by the fake Forge platform for this installation,
// plain calls go to Reckon over HTTP, and storage and secret storage are maps.
import type { FakeJira } from '../../test/support/fakes/jira.js';
import type { FakeForge, ForgeSite } from '../../test/support/fakes/forge.js';
import { answerOf, type Platform } from '../src/platform.js';

export interface Harness extends Platform {
  site: ForgeSite;
  /** What the app keeps, as Forge would (for assertions). */
  storage: Map<string, unknown>; secrets: Map<string, string>;
}

export function forgeHarness(o: { reckonUrl: string; jira: FakeJira; forge: FakeForge; site?: ForgeSite }): Harness {
  const site = o.site ?? o.forge.newSite();
  const storage = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const auth = `Basic ${Buffer.from(`${o.jira.options.email}:${o.jira.options.apiToken}`).toString('base64')}`;
  return {
    site, storage, secrets,
    async requestJira(path, init = {}) {
      const body = init.body === undefined ? undefined : JSON.stringify(init.body);
      return answerOf(await fetch(`${o.jira.url}${path}`, {
        method: init.method ?? 'GET', body, headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      }));
    },
    async invokeReckon(path, body) {
      const token = await o.forge.invocationToken(site);
      return answerOf(await fetch(`${o.reckonUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }));
    },
    async fetchReckon(path, init) {
      return answerOf(await fetch(`${o.reckonUrl}${path}`, { method: init.method, headers: init.headers, body: init.body }));
    },
    getSecret: async (key) => secrets.get(key),
    setSecret: async (key, value) => { secrets.set(key, value); },
    get: async (key) => storage.get(key),
    set: async (key, value) => { storage.set(key, value); },
    now: () => Date.now(),
  };
}
