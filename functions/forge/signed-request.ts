// Authenticates a Forge request by its signature (DESIGN.md §5, docs/forge.md): the four
// X-Reckon-* headers, a timestamp within 5 minutes, an HMAC under the installation's secret (or
// the previous one during a rotation). Nothing is written here, so a refused request changes
// nothing. An unknown cloud id is refused exactly like a wrong signature, after the same work,
// so the answer never tells whether a cloud id is registered.
import { randomBytes } from 'node:crypto';
import { HttpError } from '../../shared/http/errors.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { parseSignatureHeader, signatureMatches, timestampProblem } from '../../shared/domain/forge-signature.js';
import { CloudId, DeliveryId } from '../../shared/schemas/forge.js';
import { open } from '../../shared/security/envelope.js';
import { getInstallation, type StoredInstallation } from '../../shared/store/forge-installations.js';

export interface SignedRequest { installation: StoredInstallation; cloudId: string; deliveryId: string }

const HEADERS = ['x-reckon-timestamp', 'x-reckon-delivery', 'x-reckon-cloud-id', 'x-reckon-signature'] as const;

function headerValues(ctx: HandlerContext): Record<(typeof HEADERS)[number], string> {
  const out = {} as Record<(typeof HEADERS)[number], string>;
  for (const name of HEADERS) {
    const v = ctx.request.headers[name];
    if (v === undefined || v === '') throw new HttpError('forge_signature_missing', `The ${name} header is missing.`);
    // Node joins repeated headers with ", "; a repeated timestamp, delivery or cloud id is not one value.
    if (typeof v !== 'string' || (name !== 'x-reckon-signature' && v.includes(','))) throw new HttpError('forge_signature_malformed', `The ${name} header must appear once.`);
    out[name] = v;
  }
  return out;
}

export async function verifySignedRequest(ctx: HandlerContext): Promise<SignedRequest> {
  const h = headerValues(ctx);
  const problem = timestampProblem(h['x-reckon-timestamp'], ctx.now);
  if (problem === 'malformed') throw new HttpError('forge_signature_malformed', 'x-reckon-timestamp must be Unix time in seconds.');
  if (problem) throw new HttpError('forge_timestamp_out_of_range', `The request's timestamp is ${problem === 'too_old' ? 'more than 5 minutes old' : 'more than 5 minutes ahead'}; check the sender's clock.`);
  if (!DeliveryId.safeParse(h['x-reckon-delivery']).success) throw new HttpError('forge_signature_malformed', 'x-reckon-delivery must be 8–100 letters, digits, - or _ (a UUID).');
  if (!CloudId.safeParse(h['x-reckon-cloud-id']).success) throw new HttpError('forge_signature_malformed', 'x-reckon-cloud-id must be an Atlassian cloud id (a lowercase UUID).');
  const given = parseSignatureHeader(h['x-reckon-signature']);
  if (!given) throw new HttpError('forge_signature_malformed', 'x-reckon-signature must be v1=<64 hex digits>, several separated by commas.');

  const cloudId = h['x-reckon-cloud-id'];
  const installation = await getInstallation(cloudId);
  const secrets = installation ? await secretsOf(installation, ctx.now) : [randomBytes(32).toString('base64url')];
  const parts = { timestamp: h['x-reckon-timestamp'], deliveryId: h['x-reckon-delivery'], cloudId, method: ctx.request.method, path: ctx.request.target, rawBody: ctx.request.rawBody };
  if (!signatureMatches(secrets, parts, given) || !installation) throw new HttpError('forge_signature_invalid', 'The signature does not match this request.');
  if (installation.record.status === 'revoked') throw new HttpError('forge_installation_revoked', 'This installation was revoked; bind the site again with a new connect code.');
  return { installation, cloudId, deliveryId: h['x-reckon-delivery'] };
}

/** The secrets a request may be signed with now: the current one, and the previous one during the overlap. */
async function secretsOf(s: StoredInstallation, now: number): Promise<string[]> {
  const r = s.record;
  const secrets = [await open(r.secret, r.tenantId)];
  if (r.previousSecret && r.previousSecretValidUntil !== null && now < r.previousSecretValidUntil) secrets.push(await open(r.previousSecret, r.tenantId));
  return secrets;
}
