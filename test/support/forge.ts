// Binding a Jira site to a team as it happens for real: a team admin asks for a connect code, and
// the Forge app's admin page sends it with an invocation token of its site (the fake platform's).
import { ApiClient, type ApiResponse, type Reckon } from './reckon.js';
import type { Person } from './rooms.js';
import type { FakeForge, ForgeSite, TokenOptions } from './fakes/forge.js';

export async function connectCode(admin: Person, tenantId = admin.tenant.tenantId): Promise<string> {
  const res = await admin.client.post('/api/forge/connect-codes', { tenantId });
  if (res.status !== 201) throw new Error(`connect code: ${res.status} ${res.text}`);
  return res.json.code;
}

/** A call through Forge Remote: the invocation token in Authorization, no browser origin. */
export function attestedCall(reckon: Reckon, path: string, token: string, body?: unknown): Promise<ApiResponse> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new ApiClient(reckon).request('POST', path, {
    rawBody: raw, headers: { origin: undefined, authorization: `Bearer ${token}`, ...(raw ? { 'content-type': 'application/json' } : {}) },
  });
}

export async function bindSite(reckon: Reckon, forge: FakeForge, admin: Person, site: ForgeSite = forge.newSite(), options?: TokenOptions & { code?: string }): Promise<{ cloudId: string; secret: string; site: ForgeSite; res: ApiResponse }> {
  const code = options?.code ?? (await connectCode(admin));
  const res = await attestedCall(reckon, '/api/forge/bind', await forge.invocationToken(site, options), { code });
  return { cloudId: site.cloudId, secret: res.json?.secret, site, res };
}
