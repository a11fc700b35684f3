// A stand-in for Atlassian's Forge platform where Reckon meets it: the JWKS Atlassian publishes for
// Forge Invocation Tokens, and tokens shaped like the ones Forge Remote sends (claims as in
// developer.atlassian.com/platform/forge/remote/essentials: iss forge/invocation-token, aud the
// app's ARI, app.installationId, app.apiBaseUrl …/ex/jira/<cloudId>, app.environment, context.cloudId,
// 25-second lifetime, RS256 with a kid). Options make the bad tokens the tests need.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface ForgeSite { cloudId: string; installationId: string }
export interface TokenOptions {
  /** Claims merged over the defaults (`undefined` removes one). */
  claims?: Record<string, unknown>;
  /** `unknown-kid`: signed with a key the JWKS does not publish; `none`: alg none; `hs256-public`: HS256 keyed with the public key. */
  forgery?: 'unknown-kid' | 'none' | 'hs256-public';
  /** Seconds added to "now" for iat/nbf/exp. */
  shiftS?: number;
}
export interface FakeForge {
  jwksUrl: string; appId: string; appAri: string;
  /** What Reckon needs to accept this platform's tokens (pass to startReckon). */
  env: Record<string, string>;
  newSite(): ForgeSite;
  invocationToken(site: ForgeSite, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function startFakeForge(environment: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' = 'PRODUCTION', fixed: { port?: number; appId?: string } = {}): Promise<FakeForge> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256');
  const kid = `forge/invocation-token/${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ keys: [jwk] })); });
  await new Promise<void>((resolve) => server.listen(fixed.port ?? 0, '127.0.0.1', resolve));
  const appId = fixed.appId ?? randomUUID();
  const appAri = `ari:cloud:ecosystem::app/${appId}`;
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    jwksUrl, appId, appAri,
    env: { RECKON_FORGE_APP_ID: appId, RECKON_FORGE_JWKS_URL: jwksUrl, RECKON_FORGE_ENVIRONMENTS: environment },
    newSite: () => ({ cloudId: randomUUID(), installationId: `ari:cloud:ecosystem::installation/${randomUUID()}` }),
    async invocationToken(site, options = {}) {
      const now = Math.floor(Date.now() / 1000) + (options.shiftS ?? 0);
      const claims: Record<string, unknown> = {
        app: {
          id: appAri, appVersion: '1.0.0', installationId: site.installationId, apiBaseUrl: `https://api.atlassian.com/ex/jira/${site.cloudId}`,
          environment: { type: environment, id: `ari:cloud:ecosystem::environment/${appId}/${randomUUID()}` },
          module: { type: 'jira:adminPage', key: 'reckon-admin' },
          installation: { id: site.installationId, contexts: [{ name: 'jira', apiBaseUrl: `https://api.atlassian.com/ex/jira/${site.cloudId}` }] },
        },
        context: { cloudId: site.cloudId, moduleKey: 'reckon-admin', siteUrl: 'https://acme-poker.atlassian.net' },
        principal: '557058:3731f189-7e58-46c0-b5c7-697c5a021aee',
        aud: appAri, iss: 'forge/invocation-token', iat: now, nbf: now, exp: now + 25, jti: randomBytes(20).toString('hex'),
        ...options.claims,
      };
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      if (options.forgery === 'none') return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      if (options.forgery === 'hs256-public') {
        return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'HS256', kid }).sign(new TextEncoder().encode(publicPem));
      }
      const unknown = options.forgery === 'unknown-kid';
      return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: unknown ? `forge/invocation-token/${randomUUID()}` : kid })
        .sign(unknown ? stranger.privateKey : privateKey);
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
