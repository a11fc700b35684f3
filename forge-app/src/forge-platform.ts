// The Platform on Atlassian's Forge runtime: @forge/api for Jira (asApp) and Forge Remote
// (invokeRemote attaches the invocation token), @forge/kvs for storage and secret storage. Not
// run by the tests (they use test/harness.ts); typechecked against the real packages.
import api, { assumeTrustedRoute, invokeRemote } from '@forge/api';
import { kvs } from '@forge/kvs';
import { answerOf, type Platform } from './platform.js';

/** The endpoint module of manifest.yml that points at the Reckon remote. */
const RECKON_ENDPOINT = 'reckon-endpoint';

export const forgePlatform: Platform = {
  async requestJira(path, init = {}) {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const res = await api.asApp().requestJira(assumeTrustedRoute(path), {
      method: init.method ?? 'GET', headers: { Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) }, body,
    });
    return answerOf(res);
  },
  async invokeReckon(path, body) {
    return answerOf(await invokeRemote(RECKON_ENDPOINT, { path, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  },
  async fetchReckon(path, init) {
    // Signed calls go through the same remote (so egress stays to the declared Reckon site).
    return answerOf(await invokeRemote(RECKON_ENDPOINT, { path, method: init.method, headers: init.headers, body: init.body }));
  },
  getSecret: (key) => kvs.getSecret<string>(key),
  setSecret: (key, value) => kvs.setSecret(key, value),
  get: (key) => kvs.get(key),
  set: (key, value) => kvs.set(key, value),
  now: () => Date.now(),
};
