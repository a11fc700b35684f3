// The one cookie Firebase Hosting forwards to functions: `__session`. It carries the access
// token and the refresh token together (DESIGN.md §5).

export const SESSION_COOKIE = '__session';

export interface SessionCookie { accessToken: string; refreshToken: string }

function parseCookieHeader(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

/** The session cookie's tokens, or undefined when absent or malformed. */
export function readSessionCookie(header: string | undefined): SessionCookie | undefined {
  const raw = parseCookieHeader(header).get(SESSION_COOKIE);
  if (!raw || raw.length > 4096) return undefined;
  const [accessToken, refreshToken, ...rest] = raw.split('~');
  if (!accessToken || !refreshToken || rest.length > 0) return undefined;
  return { accessToken, refreshToken };
}

const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/';

export function sessionCookieHeader(value: SessionCookie, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${value.accessToken}~${value.refreshToken}; ${ATTRIBUTES}; Max-Age=${maxAgeS}`;
}

export function clearedSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;
}
