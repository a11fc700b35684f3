// Device tokens: a browser that proved an account's password becomes a known device of that
// account (OWASP's "device cookie"). Login guessing from unknown browsers is slowed per account,
// which anyone can trigger; a known device is exempt and has its own lockout instead, so an
// attack spread over many addresses never keeps the owner out (docs/security.md).
// The token names the user (uid, random: nothing in it leads back to a person) and the user's
// credential generation (`sessionsValidFrom`, moved by a password change): a password change
// ends every device token made before it, and an account erased and registered again under the
// same email is another uid. It grants nothing else: no access, no identity.
import * as z from 'zod';
import type { Config } from '../config/config.js';
import { newId, signToken, verifyToken } from './tokens.js';

/** A device token's claims, verified (not yet compared with the user: see isKnownDeviceOf). */
export interface DeviceClaim { uid: string; credentialsFrom: number; deviceId: string }

const DeviceClaims = z.object({ sub: z.string().min(1).max(64), sv: z.number().int().nonnegative(), jti: z.string().min(16).max(64) });

/** A device token for this user as of its current credentials; the same device id when it was known already. */
export async function signDeviceToken(user: { uid: string; sessionsValidFrom: number }, config: Config, now: number, deviceId: string = newId()): Promise<string> {
  return signToken('device', { subject: user.uid, claims: { sv: user.sessionsValidFrom }, expiresAtS: Math.floor(now / 1000) + config.deviceTokenTtlS, id: deviceId }, config, now);
}

/** The claim a token makes, or undefined for anything else (absent, forged, expired, another kind). */
export async function verifyDeviceToken(token: string | undefined, config: Config, now: number): Promise<DeviceClaim | undefined> {
  if (!token) return undefined;
  try {
    const claims = DeviceClaims.safeParse(await verifyToken('device', token, config, now));
    return claims.success ? { uid: claims.data.sub, credentialsFrom: claims.data.sv, deviceId: claims.data.jti } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the claim is a known device of this user now: same user, no password change since. */
export function isKnownDeviceOf(claim: DeviceClaim | undefined, user: { uid: string; sessionsValidFrom: number } | undefined): claim is DeviceClaim {
  return !!claim && !!user && claim.uid === user.uid && claim.credentialsFrom === user.sessionsValidFrom;
}
