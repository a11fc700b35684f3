// The client side of the Forge webhook scheme: what a Forge app does before calling Reckon. Used
// by the tests, by `npm run forge:send`, and as the reference forge-app/src/signing.ts is tested against.
import { randomUUID } from 'node:crypto';
import { signatureHeader } from '../domain/forge-signature.js';

export interface SigningInput {
  /** The installation's secret(s); during a rotation a sender may sign with both. */
  secrets: string[];
  cloudId: string;
  method: 'GET' | 'POST';
  /** Path and query, exactly as it will be requested. */
  path: string;
  /** The exact bytes that will be sent ('' for a GET). */
  body: string;
  /** Defaults: now, and a fresh UUID. */
  timestampS?: number;
  deliveryId?: string;
}

/** The four X-Reckon-* headers for one request. */
export function signRequest(input: SigningInput): Record<string, string> {
  const timestamp = String(input.timestampS ?? Math.floor(Date.now() / 1000));
  const deliveryId = input.deliveryId ?? randomUUID();
  return {
    'X-Reckon-Timestamp': timestamp,
    'X-Reckon-Delivery': deliveryId,
    'X-Reckon-Cloud-Id': input.cloudId,
    'X-Reckon-Signature': signatureHeader(input.secrets, { timestamp, deliveryId, cloudId: input.cloudId, method: input.method, path: input.path, rawBody: input.body }),
  };
}

/** Sends a signed request to a Reckon site (`baseUrl` like https://reckon.example) with fetch. */
export async function sendSigned(baseUrl: string, input: Omit<SigningInput, 'body'> & { json?: unknown }): Promise<{ status: number; body: unknown }> {
  const body = input.json === undefined ? '' : JSON.stringify(input.json);
  const headers: Record<string, string> = signRequest({ ...input, body });
  if (body) headers['Content-Type'] = 'application/json';
  const res = await fetch(new URL(input.path, baseUrl), { method: input.method, headers, body: body || undefined });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: parsed };
}
