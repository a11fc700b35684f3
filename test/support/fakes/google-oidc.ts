// A stand-in for Google's OIDC signing keys: a JWKS endpoint with an RSA key of its own, and
// tokens shaped like those Cloud Scheduler sends (iss accounts.google.com, aud, email, RS256).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface FakeGoogleOidc { jwksUrl: string; sign(claims: Record<string, unknown>, options?: { expiresInS?: number; otherKey?: boolean }): Promise<string>; close(): Promise<void> }

export async function startFakeGoogleOidc(): Promise<FakeGoogleOidc> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'google-test-1', alg: 'RS256', use: 'sig' };
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ keys: [jwk] })); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/v3/certs`,
    async sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: 'https://accounts.google.com', email_verified: true, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'google-test-1', typ: 'JWT' })
        .setIssuedAt(now).setExpirationTime(now + (options.expiresInS ?? 3600))
        .sign(options.otherKey ? other.privateKey : privateKey);
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
