// Secrets at rest: AES-256-GCM envelopes bound to their tenant, with key rotation.
import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { configure } from '../../shared/config/config.js';
import { seal, open, EnvelopeError } from '../../shared/security/envelope.js';

const key = () => randomBytes(32).toString('base64');
const withKeys = (keys: { version: number; key: string }[]) => configure({ ...process.env, RECKON_DATA_KEYS: JSON.stringify(keys) });
afterAll(() => { configure(process.env); });

describe('envelopes', () => {
  it('opens for the tenant it was sealed for, and never shows the plaintext', async () => {
    withKeys([{ version: 1, key: key() }]);
    const env = await seal('ATATT3x-secret-token', 'tenant-a');
    expect(JSON.stringify(env)).not.toContain('ATATT3x');
    expect(env.keyVersion).toBe(1);
    expect(await open(env, 'tenant-a')).toBe('ATATT3x-secret-token');
  });

  it('does not open for another tenant, or when any part was changed', async () => {
    withKeys([{ version: 1, key: key() }]);
    const env = await seal('token', 'tenant-a');
    await expect(open(env, 'tenant-b')).rejects.toBeInstanceOf(EnvelopeError);
    const flip = (b64: string) => { const b = Buffer.from(b64, 'base64'); b[0]! ^= 1; return b.toString('base64'); };
    for (const part of ['ciphertext', 'iv', 'tag'] as const) await expect(open({ ...env, [part]: flip(env[part]) }, 'tenant-a')).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('seals with the newest key and still opens envelopes of an older listed key', async () => {
    const v1 = { version: 1, key: key() };
    withKeys([v1]);
    const old = await seal('old', 't');
    withKeys([{ version: 2, key: key() }, v1]);
    expect((await seal('new', 't')).keyVersion).toBe(2);
    expect(await open(old, 't')).toBe('old');
    withKeys([{ version: 2, key: key() }]);
    await expect(open(old, 't')).rejects.toThrow('data key 1 is no longer available');
  });

  it('uses a fresh IV each time', async () => {
    withKeys([{ version: 1, key: key() }]);
    const [a, b] = [await seal('same', 't'), await seal('same', 't')];
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });
});
