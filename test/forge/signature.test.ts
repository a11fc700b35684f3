// The Forge signature scheme as a Forge developer reproduces it: the worked test vector of
// docs/forge.md (its expected values computed with `openssl dgst -sha256 -hmac`, not with this
// code), the header format, and the timestamp window.
import { describe, it, expect } from 'vitest';
import { computeSignature, parseSignatureHeader, signatureMatches, timestampProblem, signatureHeader } from '../../shared/domain/forge-signature.js';
import { signRequest } from '../../shared/forge/signing-client.js';

const VECTOR = {
  secret: 'rkf_9Gx2WcQp7LmT4vZr1NbK8sJd3HyF6eAu0oPiRtYwXq5',
  timestamp: '1795000000',
  deliveryId: '3f1c5a8e-9b7d-4e2a-8c61-0d5b9e7f4a21',
  cloudId: 'b5e8f0c2-4a1d-4c3e-9f6b-2d7a8e1c0b94',
};
const EVENT_BODY = '{"type":"app_uninstalled","cloudId":"b5e8f0c2-4a1d-4c3e-9f6b-2d7a8e1c0b94"}';

describe('the test vector of docs/forge.md', () => {
  it('signs a POST with its body', () => {
    expect(computeSignature(VECTOR.secret, { ...VECTOR, method: 'POST', path: '/api/forge/events', rawBody: EVENT_BODY }))
      .toBe('615b305d137e45e2fab46ab75c39d57d336d8a9d761094aad5780a79aaa13081');
  });

  it('signs a GET with its query and an empty body', () => {
    expect(computeSignature(VECTOR.secret, { ...VECTOR, method: 'get', path: '/api/forge/estimates?keys=POKER-12,POKER-13', rawBody: '' }))
      .toBe('419709728ac064bf204af4c1648567f6aaaec975500e046cf3978ef3ca4d47aa');
  });

  it('is what the signing client sends', () => {
    expect(signRequest({ secrets: [VECTOR.secret], cloudId: VECTOR.cloudId, method: 'POST', path: '/api/forge/events', body: EVENT_BODY, timestampS: 1795000000, deliveryId: VECTOR.deliveryId })).toEqual({
      'X-Reckon-Timestamp': '1795000000', 'X-Reckon-Delivery': VECTOR.deliveryId, 'X-Reckon-Cloud-Id': VECTOR.cloudId,
      'X-Reckon-Signature': 'v1=615b305d137e45e2fab46ab75c39d57d336d8a9d761094aad5780a79aaa13081',
    });
  });
});

describe('the signature header', () => {
  const parts = { ...VECTOR, method: 'POST', path: '/api/forge/events', rawBody: EVENT_BODY };

  it('accepts several v1 entries (a rotation) and ignores other versions', () => {
    const header = `v0=abc, ${signatureHeader(['another-secret', VECTOR.secret], parts)}`;
    const given = parseSignatureHeader(header)!;
    expect(given).toHaveLength(2);
    expect(signatureMatches([VECTOR.secret], parts, given)).toBe(true);
    expect(signatureMatches(['a-third-secret'], parts, given)).toBe(false);
  });

  it.each([
    ['empty', ''], ['no version', '615b305d'], ['short hex', 'v1=615b305d'], ['upper-case hex', `v1=${'A'.repeat(64)}`],
    ['not hex', `v1=${'g'.repeat(64)}`], ['only other versions', `v2=${'a'.repeat(64)}`], ['six entries', Array(6).fill(`v1=${'a'.repeat(64)}`).join(',')],
  ])('refuses a malformed header: %s', (_name, header) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
  });

  it('changes with every signed part', () => {
    const base = computeSignature(VECTOR.secret, parts);
    for (const change of [{ timestamp: '1795000001' }, { deliveryId: 'x' + VECTOR.deliveryId.slice(1) }, { cloudId: VECTOR.cloudId.replace('b5', 'b6') }, { method: 'PUT' }, { path: '/api/forge/event' }, { rawBody: EVENT_BODY + ' ' }]) {
      expect(computeSignature(VECTOR.secret, { ...parts, ...change })).not.toBe(base);
    }
  });
});

describe('the timestamp window', () => {
  const now = 1795000000_000;
  it.each([
    ['now', '1795000000', undefined], ['5 minutes old', '1794999700', undefined], ['5 minutes ahead', '1795000300', undefined],
    ['6 minutes old', '1794999640', 'too_old'], ['6 minutes ahead', '1795000360', 'too_new'],
    ['milliseconds', '1795000000000', 'malformed'], ['a date', '2026-11-18', 'malformed'], ['negative', '-1', 'malformed'],
  ])('%s', (_name, timestamp, problem) => {
    expect(timestampProblem(timestamp, now)).toBe(problem);
  });
});
