// The Forge runtime boundary: everything the handlers need from Atlassian's platform, as one
// interface. src/forge-platform.ts implements it with @forge/api; the tests supply a harness
// (forge-app/test/harness.ts) that talks to the fake Jira and mints invocation tokens from a fake
// JWKS — the one place the platform is faked.
export interface HttpAnswer { status: number; text: string; json: any }

export interface Platform {
  /** `asApp().requestJira(...)`: the app's own permission (scopes in manifest.yml), on this site. */
  requestJira(path: string, init?: { method?: 'GET' | 'PUT'; body?: unknown }): Promise<HttpAnswer>;
  /** Forge Remote (`invokeRemote`): the platform attaches an invocation token Atlassian signs. */
  invokeReckon(path: string, body: unknown): Promise<HttpAnswer>;
  /** A plain HTTPS call to Reckon (the app signs it with the shared secret). */
  fetchReckon(path: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<HttpAnswer>;
  /** Forge secret storage (encrypted, never shown): the HMAC secret Reckon handed over. */
  getSecret(key: string): Promise<string | undefined>;
  setSecret(key: string, value: string): Promise<void>;
  /** Forge app storage: the keys the app asked Reckon about, detected fields. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** Unix milliseconds. */
  now(): number;
}

export const SECRET_KEY = 'reckon-secret';
export const CLOUD_ID_KEY = 'reckon-cloud-id';
export const KEYS_KEY = 'reckon-requested-keys';

/** Reads a fetch-style response into an HttpAnswer. */
export async function answerOf(res: { status: number; text(): Promise<string> }): Promise<HttpAnswer> {
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, text, json };
}
