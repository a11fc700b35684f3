// A stand-in for Firestore's REST API, just enough for the cold-start floor with `preferRest`:
// it answers `documents:batchGet` (the one read firestore-function.ts makes) with "missing". The
// embedded emulator speaks gRPC only, so the floor per transport needs this.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startRestFirestore(): Promise<{ host: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/v1\/(projects\/[^/]+\/databases\/[^/]+)\/documents:batchGet/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"not here","status":"NOT_FOUND"}}'); return; }
      const { documents = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { documents?: string[] };
      const readTime = new Date().toISOString();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(documents.map((d) => ({ missing: d, readTime }))));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
