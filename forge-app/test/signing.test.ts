// The app signs exactly as Reckon verifies: docs/forge.md's worked test vector, and the same
// headers as Reckon's own signing code for any request.
import { describe, it, expect } from 'vitest';
import { signedHeaders } from '../src/signing.js';
import { signRequest } from '../../shared/forge/signing-client.js';

const VECTOR = {
  secret: 'rkf_9Gx2WcQp7LmT4vZr1NbK8sJd3HyF6eAu0oPiRtYwXq5', timestampS: 1795000000, deliveryId: '3f1c5a8e-9b7d-4e2a-8c61-0d5b9e7f4a21',
  cloudId: 'b5e8f0c2-4a1d-4c3e-9f6b-2d7a8e1c0b94',
};

describe("the app's request signing", () => {
  it("matches docs/forge.md's test vectors", () => {
    const body = '{"type":"app_uninstalled","cloudId":"b5e8f0c2-4a1d-4c3e-9f6b-2d7a8e1c0b94"}';
    expect(signedHeaders({ ...VECTOR, method: 'POST', path: '/api/forge/events', body })['X-Reckon-Signature'])
      .toBe('v1=615b305d137e45e2fab46ab75c39d57d336d8a9d761094aad5780a79aaa13081');
    expect(signedHeaders({ ...VECTOR, method: 'GET', path: '/api/forge/estimates?keys=POKER-12,POKER-13', body: '' })['X-Reckon-Signature'])
      .toBe('v1=419709728ac064bf204af4c1648567f6aaaec975500e046cf3978ef3ca4d47aa');
  });

  it("gives the same headers as Reckon's signing client", () => {
    const input = { ...VECTOR, method: 'POST' as const, path: '/api/forge/write-back', body: '{"outcomes":[]}' };
    const { 'Content-Type': type, ...app } = signedHeaders(input);
    expect(type).toBe('application/json');
    expect(app).toEqual(signRequest({ secrets: [input.secret], cloudId: input.cloudId, method: input.method, path: input.path, body: input.body, timestampS: input.timestampS, deliveryId: input.deliveryId }));
  });
});
