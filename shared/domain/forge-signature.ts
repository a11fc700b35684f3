// The Forge webhook signature (DESIGN.md §5): HMAC-SHA256 with the installation's shared secret
// over "timestamp.deliveryId.cloudId.METHOD.path.rawBody", sent as `X-Reckon-Signature: v1=<hex>`
// (several `v1=` while a secret rotates). `path` is the request target as sent: the path and,
// when there is one, the query string, so a signed GET cannot have its query changed.
// Pure functions: the same code signs (the client in shared/forge) and verifies (the forge function).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';
/** How far a timestamp may be from the receiver's clock, either way. */
export const TIMESTAMP_TOLERANCE_S = 300;

export interface SignedParts {
  /** Unix time in whole seconds, as the decimal string sent in X-Reckon-Timestamp. */
  timestamp: string;
  deliveryId: string;
  cloudId: string;
  method: string;
  /** The request target: `/api/forge/estimates?keys=A-1,B-2`. */
  path: string;
  rawBody: Buffer | string;
}

export function signedPayload(p: SignedParts): Buffer {
  const head = `${p.timestamp}.${p.deliveryId}.${p.cloudId}.${p.method.toUpperCase()}.${p.path}.`;
  return Buffer.concat([Buffer.from(head, 'utf8'), Buffer.isBuffer(p.rawBody) ? p.rawBody : Buffer.from(p.rawBody, 'utf8')]);
}

/** The hex HMAC of a request with one secret (the secret's UTF-8 bytes are the key). */
export function computeSignature(secret: string, p: SignedParts): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(signedPayload(p)).digest('hex');
}

/** The header value for one or more secrets: `v1=<hex>` or `v1=<hex>,v1=<hex>`. */
export function signatureHeader(secrets: string[], p: SignedParts): string {
  return secrets.map((s) => `${SIGNATURE_VERSION}=${computeSignature(s, p)}`).join(',');
}

/**
 * The 32-byte signatures a header carries, or undefined when it is not `v1=<64 hex>` entries
 * separated by commas (at most 5; entries of other versions are ignored, as senders may add them).
 */
export function parseSignatureHeader(header: string): Buffer[] | undefined {
  const entries = header.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0 || entries.length > 5) return undefined;
  const out: Buffer[] = [];
  for (const entry of entries) {
    const m = /^([a-z0-9]{1,8})=(.*)$/.exec(entry);
    if (!m) return undefined;
    if (m[1] !== SIGNATURE_VERSION) continue;
    if (!/^[0-9a-f]{64}$/.test(m[2]!)) return undefined;
    out.push(Buffer.from(m[2]!, 'hex'));
  }
  return out.length ? out : undefined;
}

/** Whether any given signature is the HMAC of the parts under any of the secrets; constant time per pair. */
export function signatureMatches(secrets: string[], p: SignedParts, given: Buffer[]): boolean {
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, p), 'hex');
    for (const g of given) ok = timingSafeEqual(expected, g) || ok; // no early exit
  }
  return ok;
}

/** Why a timestamp header is refused, or undefined when it is within the tolerance of `nowMs`. */
export function timestampProblem(timestamp: string, nowMs: number): 'malformed' | 'too_old' | 'too_new' | undefined {
  if (!/^[0-9]{9,11}$/.test(timestamp)) return 'malformed';
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -TIMESTAMP_TOLERANCE_S) return 'too_old';
  if (skew > TIMESTAMP_TOLERANCE_S) return 'too_new';
  return undefined;
}
