// A TCP relay in front of the test emulator that records how each connection opens (an HTTP/1.1
// request line for REST, the HTTP/2 preface for gRPC) and what each sent. Clients read FIRESTORE_EMULATOR_HOST when
// they are created, so point it at the tap first.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What a client sent on a connection: HTTP/1.1 (REST) or HTTP/2 (gRPC), in order of arrival. */
export interface TapChunk { protocol: 'http1' | 'http2'; bytes: number }
export interface Tap {
  host: string; openings: string[]; chunks: TapChunk[];
  /** Whether new HTTP/2 connections are cut at their first bytes, as when HTTP/2 is blocked on the way (can change at any time). */
  refuseHttp2: boolean;
  close(): void;
}

/** A TCP relay to the test emulator that records the first bytes of every connection. */
export async function tapEmulator({ refuseHttp2 = false } = {}): Promise<Tap> {
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(':') as [string, string];
  const openings: string[] = [];
  const chunks: TapChunk[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(client).add(upstream);
    let protocol: TapChunk['protocol'] | undefined;
    client.on('data', (chunk: Buffer) => {
      if (!protocol) {
        openings.push(chunk.subarray(0, 14).toString('latin1'));
        protocol = chunk.subarray(0, 3).toString('latin1') === 'PRI' ? 'http2' : 'http1';
        if (protocol === 'http2' && tap.refuseHttp2) { client.destroy(); upstream.destroy(); return; }
      }
      chunks.push({ protocol, bytes: chunk.length });
    });
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tap: Tap = {
    refuseHttp2,
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    openings,
    chunks,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
  return tap;
}

