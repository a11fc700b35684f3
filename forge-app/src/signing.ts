// The HMAC scheme of docs/forge.md §2, on the app's side: each call to Reckon carries a timestamp,
// a fresh delivery id, the site's cloud id and an HMAC-SHA256 over
// timestamp.delivery.cloudId.METHOD.path.body keyed with the secret Reckon handed over at binding.
// forge-app/test/signing.test.ts checks it against docs/forge.md's test vector and Reckon's own code.
import { createHmac, randomUUID } from 'node:crypto';

export interface SignInput { secret: string; cloudId: string; method: 'GET' | 'POST'; path: string; body: string; timestampS: number; deliveryId?: string }

export function signedHeaders(i: SignInput): Record<string, string> {
  const timestamp = String(i.timestampS);
  const delivery = i.deliveryId ?? randomUUID();
  const mac = createHmac('sha256', i.secret).update(`${timestamp}.${delivery}.${i.cloudId}.${i.method}.${i.path}.${i.body}`, 'utf8').digest('hex');
  return {
    'X-Reckon-Timestamp': timestamp, 'X-Reckon-Delivery': delivery, 'X-Reckon-Cloud-Id': i.cloudId, 'X-Reckon-Signature': `v1=${mac}`,
    ...(i.body ? { 'Content-Type': 'application/json' } : {}),
  };
}
