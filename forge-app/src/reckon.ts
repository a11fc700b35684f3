// Calls to Reckon: attested ones through Forge Remote (bind, rotate), signed ones with the secret.
import { CLOUD_ID_KEY, SECRET_KEY, type HttpAnswer, type Platform } from './platform.js';
import { signedHeaders } from './signing.js';

export class ReckonError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) { super(message); }
}

const failure = (a: HttpAnswer) => new ReckonError(a.status, a.json?.error?.code ?? 'unknown', a.json?.error?.message ?? `Reckon answered ${a.status}`);

/** Binds this site to the Reckon team whose admin made the code; keeps the secret in secret storage. */
export async function bindSite(p: Platform, code: string): Promise<{ cloudId: string; tenantId: string }> {
  const a = await p.invokeReckon('/api/forge/bind', { code: code.trim() });
  if (a.status !== 201) throw failure(a);
  await p.setSecret(SECRET_KEY, a.json.secret);
  await p.set(CLOUD_ID_KEY, a.json.installation.cloudId);
  return { cloudId: a.json.installation.cloudId, tenantId: a.json.installation.tenantId };
}

/** Fetches a new secret through the attested channel (the old one keeps working for 24 hours). */
export async function rotateSecret(p: Platform): Promise<void> {
  const a = await p.invokeReckon('/api/forge/secret/rotate', {});
  if (a.status !== 200) throw failure(a);
  await p.setSecret(SECRET_KEY, a.json.secret);
}

/** A signed call; `undefined` when the site is not bound yet (nothing to sign with). */
export async function callReckon(p: Platform, method: 'GET' | 'POST', path: string, payload?: unknown): Promise<any> {
  const [secret, cloudId] = [await p.getSecret(SECRET_KEY), (await p.get(CLOUD_ID_KEY)) as string | undefined];
  if (!secret || !cloudId) return undefined;
  const body = payload === undefined ? '' : JSON.stringify(payload); // serialised once: the bytes signed are the bytes sent
  const headers = signedHeaders({ secret, cloudId, method, path, body, timestampS: Math.floor(p.now() / 1000) });
  const a = await p.fetchReckon(path, { method, headers, ...(body ? { body } : {}) });
  if (a.status < 200 || a.status > 299) throw failure(a);
  return a.json;
}

/** The preUninstall trigger: Reckon revokes the installation, so the site is free to bind again. */
export async function reportUninstalled(p: Platform): Promise<any> {
  const cloudId = await boundCloudId(p);
  return cloudId ? callReckon(p, 'POST', '/api/forge/events', { type: 'app_uninstalled', cloudId }) : undefined;
}

export const boundCloudId = async (p: Platform) => (await p.get(CLOUD_ID_KEY)) as string | undefined;
