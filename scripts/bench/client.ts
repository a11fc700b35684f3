// A small HTTP client for the benchmark: keep-alive connections, one cookie per participant,
// the site's Origin on every request, and the time each request took.
import http from 'node:http';

// Every participant keeps a connection open between polls, as a browser does: Node's default keeps
// only 256 idle sockets, and the churn of reconnecting (SYN retries of 1 s and 3 s) showed up as
// client-side tails the server never saw.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096 });

export interface Timed { status: number; headers: http.IncomingHttpHeaders; text: string; ms: number }

export class BenchClient {
  cookie: string | undefined;
  constructor(readonly baseUrl: string) {}

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Timed> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const h: Record<string, string> = { origin: this.baseUrl, ...headers };
    if (payload !== undefined) { h['content-type'] = 'application/json'; h['content-length'] = String(Buffer.byteLength(payload)); }
    if (this.cookie) h.cookie = this.cookie;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.baseUrl}${path}`, { method, headers: h, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.find((c) => c.startsWith('__session='));
          if (set) this.cookie = set.split(';')[0];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async json<T = any>(method: string, path: string, body?: unknown, expected = [200, 201, 204]): Promise<T> {
    const res = await this.request(method, path, body);
    if (!expected.includes(res.status)) throw new Error(`${method} ${path} → ${res.status} ${res.text}`);
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
