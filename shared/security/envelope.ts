// Secrets at rest (Jira API tokens, Forge shared secrets): AES-256-GCM under a data key from the
// secrets module, with the tenant id as additional authenticated data, so a ciphertext copied to
// another tenant's document does not decrypt. Each envelope names its key version: new envelopes
// use the newest key, older ones still open while their key is listed (rotation).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { getSecrets } from '../config/secrets.js';

export interface Envelope { v: 1; keyVersion: number; iv: string; ciphertext: string; tag: string }

export class EnvelopeError extends Error {}

const DataKeys = z.array(z.object({ version: z.number().int().min(1), key: z.string().min(1) })).min(1);

async function dataKeys(): Promise<{ version: number; key: Buffer }[]> {
  const keys = DataKeys.parse(JSON.parse(await getSecrets().get('data-keys'))).map(({ version, key }) => ({ version, key: Buffer.from(key, 'base64') }));
  for (const k of keys) if (k.key.length !== 32) throw new EnvelopeError(`data key ${k.version} is not 256 bits`);
  return keys;
}

const aadOf = (tenantId: string) => Buffer.from(`reckon:tenant:${tenantId}`, 'utf8');

export async function seal(plaintext: string, tenantId: string): Promise<Envelope> {
  const [newest] = await dataKeys();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', newest!.key, iv);
  cipher.setAAD(aadOf(tenantId));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { v: 1, keyVersion: newest!.version, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

export async function open(envelope: Envelope, tenantId: string): Promise<string> {
  const key = (await dataKeys()).find((k) => k.version === envelope.keyVersion);
  if (!key) throw new EnvelopeError(`data key ${envelope.keyVersion} is no longer available`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAAD(aadOf(tenantId));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError('the envelope does not open with this key and tenant');
  }
}
