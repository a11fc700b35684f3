// The one cookie Firebase Hosting forwards to functions: `__session` (DESIGN.md §5). It carries
// the user's access and refresh tokens, the guest tokens of the sessions this browser joined
// as a guest, so joining a room by link never signs a user out, and the device token that makes
// this browser a known device of the account that last signed in on it (it outlives signing out).
// Format, `~`-separated:
//   [access~refresh][~g:<guest token>]*[~d:<device token>]

export const SESSION_COOKIE = '__session';
/** A browser may be a guest in a few rooms at once; older guest tokens drop off. */
export const MAX_GUEST_TOKENS = 4;

export interface UserTokens { accessToken: string; refreshToken: string }
export interface SessionCookie { user?: UserTokens; guestTokens: string[]; device?: string }

const GUEST_PREFIX = 'g:';
const DEVICE_PREFIX = 'd:';
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
  const devices = parts.filter((p) => p.startsWith(DEVICE_PREFIX)).map((p) => p.slice(DEVICE_PREFIX.length));
  const userParts = parts.filter((p) => !p.startsWith(GUEST_PREFIX) && !p.startsWith(DEVICE_PREFIX));
  if (userParts.length !== 0 && userParts.length !== 2) return undefined;
  if (guestTokens.length > MAX_GUEST_TOKENS || devices.length > 1 || [...userParts, ...guestTokens, ...devices].some((t) => !TOKEN.test(t))) return undefined;
  const user = userParts.length === 2 ? { accessToken: userParts[0]!, refreshToken: userParts[1]! } : undefined;
  const device = devices[0];
  return user || guestTokens.length || device ? { user, guestTokens, ...(device ? { device } : {}) } : undefined;
}

const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict; Path=/';

/** Browsers keep a cookie's name and value up to 4096 bytes, and readSessionCookie reads no more. */
const MAX_COOKIE_BYTES = 4096;

export function sessionCookieHeader(value: SessionCookie, maxAgeS: number): string {
  const guests = value.guestTokens.slice(0, MAX_GUEST_TOKENS);
  let device = value.device;
  const pair = () => {
    const parts = value.user ? [value.user.accessToken, value.user.refreshToken] : [];
    for (const g of guests) parts.push(GUEST_PREFIX + g);
    if (device) parts.push(DEVICE_PREFIX + device);
    return parts.length === 0 ? undefined : `${SESSION_COOKIE}=${parts.join('~')}`;
  };
  // Too big a cookie would be dropped by the browser, signing everyone in it out: the oldest
  // guest tokens give way first, then the device token; the user's own tokens stay.
  for (;;) {
    const p = pair();
    if (p === undefined) return clearedSessionCookieHeader();
    if (p.length <= MAX_COOKIE_BYTES) return `${p}; ${ATTRIBUTES}; Max-Age=${maxAgeS}`;
    if (guests.length > 0) guests.pop();
    else if (device) device = undefined;
    else return `${p}; ${ATTRIBUTES}; Max-Age=${maxAgeS}`;
  }
}

export function clearedSessionCookieHeader(): string {
  return `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`;
}
