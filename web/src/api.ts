// The site's one way to reach the API: JSON in and out, the session cookie sent by the browser,
// and one transparent refresh when the access token has expired.
import type { MeResponse, PublicUser } from '../../shared/schemas/auth.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: { path: string; message: string }[] = []) { super(message); }
  /** The message for one field (`body.email` → 'email'). */
  fieldMessage(field: string): string | undefined {
    return this.issues.find((i) => i.path === `body.${field}`)?.message;
  }
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401 && (await peekCode(res)) === 'token_expired') {
    const refreshed = await send('POST', '/api/auth/refresh');
    if (refreshed.ok) res = await send(method, path, body);
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, e?.code ?? 'network', e?.message ?? `The server answered ${res.status}.`, e?.issues);
  }
  return data as T;
}

async function peekCode(res: Response): Promise<string | undefined> {
  try { return (await res.clone().json())?.error?.code; } catch { return undefined; }
}

export const api = {
  register: (email: string, password: string, displayName: string) => request<{ user: PublicUser }>('POST', '/api/auth/register', { email, password, displayName }),
  login: (email: string, password: string) => request<{ user: PublicUser }>('POST', '/api/auth/login', { email, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<MeResponse>('GET', '/api/auth/me'),
  exportMe: () => request<unknown>('GET', '/api/auth/me/export'),
  eraseMe: (password: string) => request<void>('DELETE', '/api/auth/me', { password }),
};
