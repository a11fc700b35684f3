// Access tokens are JWTs (HS256, `kid` for rotation, iss/aud/typ/exp/nbf checked, algorithm
// pinned, jku/jwk/x5u ignored). Each token type has its own `typ` and its own key derived for
// that purpose, so a token of one kind is never accepted as another. Refresh tokens are opaque.
import { createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTHeaderParameters, type JWTPayload } from 'jose';
import * as z from 'zod';
import type { Config } from '../config/config.js';
import { getSecrets } from '../config/secrets.js';

export type Role = 'admin' | 'member';

/** Who is calling, as the access token says. */
export interface Principal {
  kind: 'user';
  uid: string;
  /** tenantId → role, as of when the token was issued. */
  roles: Record<string, Role>;
  /** The user's access epoch when the token was issued (claim `ae`); an older one than the user's
   *  current epoch means the token was ended (shared/access/epochs.ts). */
  epoch: number;
}

export class TokenExpiredError extends Error {}
export class InvalidTokenError extends Error {}

export const TOKEN_TYPES = { access: 'reckon-access+jwt', guest: 'reckon-guest+jwt', portalLink: 'reckon-portal-link+jwt', device: 'reckon-device+jwt' } as const;
type Purpose = keyof typeof TOKEN_TYPES;

const KeyList = z.array(z.object({ kid: z.string().min(1).max(64), secret: z.string().min(1) })).min(1);
interface DerivedKey { kid: string; key: Uint8Array }

/** Derived keys by secret value and purpose: every request verifies a token, so derive once. */
const derived = new Map<string, DerivedKey[]>();

/** The signing keys of one token purpose (the first one signs). */
async function keysFor(purpose: Purpose): Promise<DerivedKey[]> {
  const secretValue = await getSecrets().get('token-keys');
  const cacheKey = `${purpose}\u0000${secretValue}`;
  const hit = derived.get(cacheKey);
  if (hit) return hit;
  const keys = KeyList.parse(JSON.parse(secretValue)).map(({ kid, secret }) => {
    const raw = Buffer.from(secret, 'base64');
    if (raw.length < 32) throw new Error(`token key ${kid} is shorter than 256 bits`);
    return { kid, key: new Uint8Array(hkdfSync('sha256', raw, Buffer.alloc(0), `reckon:${purpose}:v1`, 32)) };
  });
  // A rotated secret replaces the old entries rather than piling up.
  for (const k of derived.keys()) if (k.startsWith(`${purpose}\u0000`)) derived.delete(k);
  derived.set(cacheKey, keys);
  return keys;
}

// Tokens issued before epochs existed carry no `ae`: they belong to epoch 0, which any ending moves past.
const AccessClaims = z.object({ sub: z.string().min(1), roles: z.record(z.string(), z.enum(['admin', 'member'])), ae: z.number().int().nonnegative().default(0) });

/** Signs a token of one purpose with its current key (HS256, its `typ`, issuer and audience, valid from now). */
export async function signToken(purpose: Purpose, token: { subject: string; claims: JWTPayload; expiresAtS: number; id?: string }, config: Config, now: number): Promise<string> {
  const [signing] = await keysFor(purpose);
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT(token.claims)
    .setProtectedHeader({ alg: 'HS256', kid: signing!.kid, typ: TOKEN_TYPES[purpose] })
    .setSubject(token.subject)
    .setIssuer(config.tokenIssuer)
    .setAudience(`${config.tokenIssuer}:api`)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(token.expiresAtS);
  if (token.id !== undefined) jwt.setJti(token.id);
  return jwt.sign(signing!.key);
}

export async function signAccessToken(principal: Principal, config: Config, now: number): Promise<string> {
  return signToken('access', { subject: principal.uid, claims: { roles: principal.roles, ae: principal.epoch }, expiresAtS: Math.floor(now / 1000) + config.accessTokenTtlS }, config, now);
}

export async function verifyAccessToken(token: string, config: Config, now: number): Promise<Principal> {
  const claims = AccessClaims.safeParse(await verifyToken('access', token, config, now));
  if (!claims.success) throw new InvalidTokenError('unexpected claims');
  return { kind: 'user', uid: claims.data.sub, roles: claims.data.roles, epoch: claims.data.ae };
}

/**
 * Tokens this instance has already verified, per key set (a rotated secret starts afresh): a room
 * polls every two seconds with the same token, and HMAC through WebCrypto was the costliest step
 * of an unchanged poll. A hit re-checks the time claims, so it accepts exactly what jwtVerify would.
 */
const verified = new WeakMap<DerivedKey[], Map<string, Record<string, unknown>>>();
const MAX_VERIFIED = 20_000;
const CLOCK_TOLERANCE_S = 5;

function rememberVerified(keys: DerivedKey[], cacheKey: string, payload: Record<string, unknown>): void {
  let byToken = verified.get(keys);
  if (!byToken) verified.set(keys, byToken = new Map());
  byToken.set(cacheKey, payload);
  if (byToken.size > MAX_VERIFIED) byToken.delete(byToken.keys().next().value!);
}

/** Verifies a token of one purpose; TokenExpiredError or InvalidTokenError otherwise. */
export async function verifyToken(purpose: Purpose, token: string, config: Config, now: number): Promise<Record<string, unknown>> {
  const keys = await keysFor(purpose);
  const cacheKey = `${purpose}\u0000${config.tokenIssuer}\u0000${token}`;
  const hit = verified.get(keys)?.get(cacheKey);
  if (hit) {
    // The same rules as jose's: expired once exp <= now - tolerance; not valid before nbf - tolerance.
    const t = Math.floor(now / 1000);
    if ((hit.exp as number) <= t - CLOCK_TOLERANCE_S) throw new TokenExpiredError(`${purpose} token expired`);
    if ((hit.nbf as number) > t + CLOCK_TOLERANCE_S) throw new InvalidTokenError('"nbf" claim timestamp check failed');
    return hit;
  }
  // Only `kid` picks the key: jku, jwk and x5u in the header are never looked at.
  const pickKey = (header: JWTHeaderParameters) => {
    const k = keys.find((x) => x.kid === header.kid);
    if (!k) throw new InvalidTokenError('unknown key id');
    return k.key;
  };
  try {
    const { payload } = await jwtVerify(token, pickKey, {
      algorithms: ['HS256'],
      issuer: config.tokenIssuer,
      audience: `${config.tokenIssuer}:api`,
      typ: TOKEN_TYPES[purpose],
      requiredClaims: ['exp', 'nbf', 'iat', 'sub'],
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    rememberVerified(keys, cacheKey, payload);
    return payload;
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new TokenExpiredError(`${purpose} token expired`);
    throw new InvalidTokenError(e instanceof Error ? e.message : 'invalid token');
  }
}

/** An opaque refresh token: `<id>.<secret>`; only a hash of the secret is stored. */
export interface IssuedRefreshToken { id: string; token: string; hash: string }

export function newRefreshToken(): IssuedRefreshToken {
  const id = randomBytes(16).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: hashSecret(secret) };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseRefreshToken(token: string): { id: string; secret: string } | undefined {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export function refreshSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A random identifier of at least 120 bits (DESIGN.md §3). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}
