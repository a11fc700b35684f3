// A browser-like HTTP client for a running Reckon, with no test-runner imports, so scripts (the
// deploy rehearsal) use the very client the tests use.
import http from 'node:http';

export interface Reckon { url: string; projectId: string; close(): Promise<void> }

export interface ApiResponse { status: number; headers: http.IncomingHttpHeaders; text: string; json: any }

export interface RequestOptions {
  body?: unknown;
  /** A raw body sent as is (for malformed input). */
  rawBody?: string | Buffer;
  headers?: Record<string, string | undefined>;
}

let nextAddress = 1;

/** The header by which a client stands for an address the machine has not got (test/support/reckon.ts). */
export const SIMULATED_ADDRESS_HEADER = 'x-reckon-test-client-address';

/** A browser-like client: sends the site's Origin, keeps the session cookie, has its own IP. */
export class ApiClient {
  cookie: string | undefined;
  /** Each client connects from its own loopback address, so per-IP limits see distinct people. */
  readonly localAddress = `127.0.${(nextAddress >> 8) & 255}.${(nextAddress++ & 255) || 1}`;
  /** The address Reckon sees this client at: its loopback address, or `options.address`, which
   *  the tests' front end (startReckon) stands in for, such as an IPv6 one or another client's. */
  readonly address: string;
  constructor(readonly reckon: Reckon, private readonly options: { address?: string } = {}) {
    this.address = options.address ?? this.localAddress;
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = { origin: this.reckon.url };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (this.cookie) headers.cookie = this.cookie;
    if (this.options.address) headers[SIMULATED_ADDRESS_HEADER] = this.options.address;
    for (const [k, v] of Object.entries(options.headers ?? {})) {
      if (v === undefined) delete headers[k.toLowerCase()]; else headers[k.toLowerCase()] = v;
    }
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.reckon.url}${path}`, { method, headers, localAddress: this.localAddress }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('__session='));
          if (setCookie) {
            const value = setCookie.split(';')[0]!;
            this.cookie = /Max-Age=0/.test(setCookie) ? undefined : value;
          }
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(path: string, o?: RequestOptions) { return this.request('GET', path, o); }
  post(path: string, body?: unknown, o?: RequestOptions) { return this.request('POST', path, { ...o, body }); }
  put(path: string, body?: unknown, o?: RequestOptions) { return this.request('PUT', path, { ...o, body }); }
  patch(path: string, body?: unknown, o?: RequestOptions) { return this.request('PATCH', path, { ...o, body }); }
  delete(path: string, body?: unknown, o?: RequestOptions) { return this.request('DELETE', path, { ...o, body }); }
}

let counter = 0;
/** A unique, valid registration. */
export function newAccount(overrides: Partial<{ email: string; password: string; displayName: string }> = {}) {
  counter++;
  return { email: `person${counter}-${Date.now().toString(36)}@example.com`, password: 'correct horse battery', displayName: `Person ${counter}`, ...overrides };
}

/** A client signed in as a newly registered user. */
export async function registeredClient(reckon: Reckon, overrides: Parameters<typeof newAccount>[0] = {}) {
  const client = new ApiClient(reckon);
  const account = newAccount(overrides);
  const res = await client.post('/api/auth/register', account);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { client, account, user: res.json.user, tenant: res.json.tenant };
}
