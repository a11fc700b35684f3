// Access tokens: an instance remembers tokens it has verified (polls repeat the same token every
// two seconds), and what it remembers must never accept a token that jwtVerify would refuse.
import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { configure, getConfig } from '../../shared/config/config.js';
import { signAccessToken, verifyAccessToken, TokenExpiredError, InvalidTokenError } from '../../shared/security/tokens.js';

const key = () => randomBytes(32).toString('base64');
const withTokenKeys = (keys: { kid: string; secret: string }[]) => configure({ ...process.env, RECKON_TOKEN_KEYS: JSON.stringify(keys) });
const principal = { kind: 'user' as const, uid: 'user-1', roles: { 'tenant-a': 'admin' as const }, epoch: 0 };
const ISSUED = Date.parse('2026-11-25T10:00:00Z');
afterAll(() => { configure(process.env); });

/** Fresh keys, and a token issued at ISSUED that this instance has already verified once. */
async function rememberedToken() {
  withTokenKeys([{ kid: 'k1', secret: key() }]);
  const config = getConfig();
  const token = await signAccessToken(principal, config, ISSUED);
  expect(await verifyAccessToken(token, config, ISSUED)).toEqual(principal);
  return { config, token };
}

describe('verifying access tokens', () => {
  it('accepts a token again and again while it is valid, then refuses it once it expires', async () => {
    const { config, token } = await rememberedToken();
    expect(await verifyAccessToken(token, config, ISSUED + 1_000)).toEqual(principal);
    expect(await verifyAccessToken(token, config, ISSUED + 2_000)).toEqual(principal);
    const afterExpiry = ISSUED + (config.accessTokenTtlS + 6) * 1000;
    await expect(verifyAccessToken(token, config, afterExpiry)).rejects.toBeInstanceOf(TokenExpiredError);
    // Within the 5 s clock tolerance it is still accepted, as jwtVerify accepts it.
    expect(await verifyAccessToken(token, config, ISSUED + (config.accessTokenTtlS + 4) * 1000)).toEqual(principal);
  });

  it('refuses a remembered token when the clock reads before its not-before time', async () => {
    const { config, token } = await rememberedToken();
    await expect(verifyAccessToken(token, config, ISSUED - 60_000)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a remembered token once its key is no longer configured', async () => {
    const { token } = await rememberedToken();
    withTokenKeys([{ kid: 'k2', secret: key() }]);
    await expect(verifyAccessToken(token, getConfig(), ISSUED + 1_000)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token with a tampered payload even when the genuine one was just accepted', async () => {
    const { config, token } = await rememberedToken();
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: { 'tenant-b': 'admin' } })).toString('base64url')}.${s}`;
    await expect(verifyAccessToken(forged, config, ISSUED)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
