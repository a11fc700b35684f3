// The HTTP edge every function shares: headers, envelope, CSRF, content type, size, routing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });

describe('every API response', () => {
  it.each([
    ['a success', 'POST', '/api/auth/register', { email: 'headers-ok@example.com', password: 'long enough pw', displayName: 'H' }],
    ['a validation error', 'POST', '/api/auth/register', { email: 'x' }],
    ['an unknown endpoint', 'GET', '/api/auth/nope', undefined],
    ['an unauthenticated read', 'GET', '/api/auth/me', undefined],
  ])('carries the security headers and no-store: %s', async (_name, method, path, body) => {
    const res = await new ApiClient(reckon).request(method, path, { body });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('errors use the envelope with a request id that matches the X-Request-Id header', async () => {
    const res = await new ApiClient(reckon).get('/api/auth/me');
    expect(res.json).toEqual({ error: { code: 'unauthenticated', message: expect.any(String), requestId: res.headers['x-request-id'] } });
  });

  it('validation errors list the paths of the offending fields', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', { email: 'not-an-email', password: 'short', displayName: '' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(res.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.displayName', 'body.email', 'body.password']);
  });
});

describe('requests refused at the edge', () => {
  it.each<[string, Record<string, string | undefined>, number, string]>([
    ['no Origin', { origin: undefined }, 403, 'origin_not_allowed'],
    ['a foreign Origin', { origin: 'https://evil.example' }, 403, 'origin_not_allowed'],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, 403, 'origin_not_allowed'],
    ['a form content type', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['text/plain', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
  ])('a state change with %s', async (_name, headers, status, code) => {
    const res = await new ApiClient(reckon).post('/api/auth/login', { email: 'a@example.com', password: 'whatever1' }, { headers });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
  });

  it('a body over 64 KiB answers 413', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/login', { email: 'a@example.com', password: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('body_too_large');
  });

  it('a wrong method answers 405', async () => {
    const res = await new ApiClient(reckon).get('/api/auth/login');
    expect(res.status).toBe(405);
    expect(res.json.error.code).toBe('method_not_allowed');
  });

  it('GET never changes state: logout by GET is refused and the session lives on', async () => {
    const { client } = await registeredClient(reckon);
    expect((await client.get('/api/auth/logout')).status).toBe(405);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });
});
