// A TCP relay in front of the test emulator that records how each connection opens: an HTTP/1.1
// request line (REST) or the HTTP/2 preface (gRPC). Clients read FIRESTORE_EMULATOR_HOST when
// they are created, so point it at the tap first.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Tap { host: string; openings: string[]; close(): void }

/** A TCP relay to the test emulator that records the first bytes of every connection. */
export async function tapEmulator(): Promise<Tap> {
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(':') as [string, string];
  const openings: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(client).add(upstream);
    client.once('data', (first: Buffer) => openings.push(first.subarray(0, 14).toString('latin1')));
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    openings,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

