// Cloud Scheduler calls the jobs function with a Google-signed OIDC token for its service
// account. Accepted only with Google's issuer, RS256, the jobs audience, a verified email that is
// the configured scheduler account, and a current expiry.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Config } from '../config/config.js';

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export class SchedulerAuthError extends Error {}

export async function verifySchedulerToken(authorization: string | undefined, config: Config, now: number): Promise<void> {
  const { schedulerAccount, audience, jwksUrl } = config.jobs;
  if (!schedulerAccount) throw new SchedulerAuthError('no scheduler account is configured');
  const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
  if (!token) throw new SchedulerAuthError('a bearer token is required');
  let keys = keySets.get(jwksUrl);
  if (!keys) { keys = createRemoteJWKSet(new URL(jwksUrl)); keySets.set(jwksUrl, keys); }
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: GOOGLE_ISSUERS, audience, algorithms: ['RS256'], currentDate: new Date(now), requiredClaims: ['exp', 'iat', 'email'] });
    if (payload.email !== schedulerAccount || payload.email_verified !== true) throw new SchedulerAuthError('not the scheduler account');
  } catch (e) {
    throw e instanceof SchedulerAuthError ? e : new SchedulerAuthError(e instanceof Error ? e.message : 'invalid token');
  }
}
