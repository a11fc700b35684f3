// The one cookie Firebase Hosting forwards to functions: `__session` (DESIGN.md §5). It carries
// the user's access and refresh tokens, and the guest tokens of the sessions this browser joined
// as a guest, so joining a room by link never signs a user out. Format, `~`-separated:
//   [access~refresh][~g:<guest token>]*

export const SESSION_COOKIE = '__session';
/** A browser may be a guest in a few rooms at once; older guest tokens drop off. */
export const MAX_GUEST_TOKENS = 4;

export interface UserTokens { accessToken: string; refreshToken: string }
export interface SessionCookie { user?: UserTokens; guestTokens: string[] }

const GUEST_PREFIX = 'g:';
const TOKEN = /^[A-Za-z0-9_.-]+$/;

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
  const parts = raw.split('~');
  const guestTokens = parts.filter((p) => p.startsWith(GUEST_PREFIX)).map((p) => p.slice(GUEST_PREFIX.length));
  const userParts = parts.filter((p) => !p.startsWith(GUEST_PREFIX));
  if (userParts.length !== 0 && userParts.length !== 2) return undefined;
  if (guestTokens.length > MAX_GUEST_TOKENS || [...userParts, ...guestTokens].some((t) => !TOKEN.test(t))) return undefined;
  const user = userParts.length === 2 ? { accessToken: userParts[0]!, refreshToken: userParts[1]! } : undefined;
  return user || guestTokens.length ? { user, guestTokens } : undefined;
}

const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/';

export function sessionCookieHeader(value: SessionCookie, maxAgeS: number): string {
  const parts = value.user ? [value.user.accessToken, value.user.refreshToken] : [];
  for (const g of value.guestTokens.slice(0, MAX_GUEST_TOKENS)) parts.push(GUEST_PREFIX + g);
  if (parts.length === 0) return clearedSessionCookieHeader();
  return `${SESSION_COOKIE}=${parts.join('~')}; ${ATTRIBUTES}; Max-Age=${maxAgeS}`;
}

export function clearedSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;
}
