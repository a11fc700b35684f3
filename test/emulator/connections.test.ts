// The embedded emulator's one port for two protocols: how it tells a connection's protocol from
// its first bytes, and that stop() ends every connection, whatever state it is in.
import net from 'node:net';
import http2 from 'node:http2';
import { Duplex } from 'node:stream';
import { describe, it, expect, afterEach } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { sleep } from '../support/firestore.js';

let emulator: RunningEmulator | undefined;
afterEach(async () => { await emulator?.stop(); emulator = undefined; });

function connect(host: string): Promise<net.Socket> {
  const [h, p] = host.split(':') as [string, string];
  return new Promise((resolve, reject) => { const s = net.connect(Number(p), h, () => resolve(s)); s.once('error', reject); });
}

/** Everything the server sends until it closes the connection or `ms` pass. */
function received(socket: net.Socket, ms: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (c: Buffer) => { text += c.toString('latin1'); });
    const timer = setTimeout(() => resolve({ text, closed: false }), ms);
    socket.once('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
  });
}

describe('one port for gRPC and REST', () => {
  it('waits for more than one byte before choosing: a POST sent as "P", then the rest, is answered over HTTP/1.1', async () => {
    emulator = await startEmulator();
    const socket = await connect(emulator.host);
    const answer = received(socket, 2000);
    socket.write('P');
    await sleep(50);
    socket.write('OST /v1/projects/p/databases/(default)/documents:commit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    const { text } = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it('a gRPC preface arriving a byte at a time is answered', async () => {
    emulator = await startEmulator();
    const socket = await connect(emulator.host);
    socket.setNoDelay(true);
    // The client's first 40 bytes (the preface and the start of its SETTINGS) reach the emulator a
    // byte per packet, so it must choose gRPC from "PRI " and hand over a socket it has read from.
    let dribbled = 0;
    const wire = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        void (async () => {
          for (let i = 0; i < chunk.length; i++) {
            if (socket.destroyed) break;
            if (dribbled < 40) { socket.write(chunk.subarray(i, i + 1)); dribbled++; await sleep(2); }
            else { socket.write(chunk.subarray(i)); break; }
          }
          done();
        })();
      },
    });
    socket.on('data', (c: Buffer) => wire.push(c));
    socket.on('close', () => wire.destroy());
    const client = http2.connect(`http://${emulator.host}`, { createConnection: () => wire as unknown as net.Socket });
    client.on('error', () => {});
    // GetDocument of a document that does not exist: a gRPC answer is NOT_FOUND (status 5).
    const name = Buffer.from('projects/p/databases/(default)/documents/c/missing');
    const message = Buffer.concat([Buffer.of(0x0a, name.length), name]);
    const frame = Buffer.concat([Buffer.of(0), Buffer.from([0, 0, 0, message.length]), message]);
    const request = client.request({
      ':method': 'POST', ':path': '/google.firestore.v1.Firestore/GetDocument',
      'content-type': 'application/grpc', te: 'trailers',
    });
    let timer: NodeJS.Timeout | undefined;
    const status = new Promise<string | undefined>((resolve, reject) => {
      request.on('trailers', (t) => resolve(t['grpc-status'] as string | undefined));
      request.on('response', (h) => { if (h['grpc-status'] !== undefined) resolve(h['grpc-status'] as string); });
      request.on('error', reject);
      // A lost preface ends the stream without an error; fail at once rather than at the timeout.
      request.on('close', () => reject(new Error('the stream closed without a grpc-status')));
      timer = setTimeout(() => reject(new Error('no gRPC answer in 5 s')), 5000);
    });
    request.resume();
    request.end(frame);
    try {
      expect(await status).toBe('5');
    } finally {
      clearTimeout(timer);
      client.destroy();
      socket.destroy();
    }
  });

  it('stop() ends REST keep-alive connections, connections that never spoke, and half-sent requests', async () => {
    emulator = await startEmulator();
    const keepAlive = await connect(emulator.host);
    const kept = received(keepAlive, 5000);
    keepAlive.write('GET /v1/projects/p/databases/(default)/documents/c/d HTTP/1.1\r\nHost: x\r\n\r\n');
    await sleep(100);
    const silent = await connect(emulator.host);
    const half = await connect(emulator.host);
    half.write('GET /v1/projects/p/data');
    await sleep(50);
    const closes = [kept, received(silent, 5000), received(half, 5000)];
    const started = Date.now();
    await emulator.stop();
    emulator = undefined;
    const results = await Promise.all(closes);
    expect(results.map((r) => r.closed)).toEqual([true, true, true]);
    expect(results[0]!.text).toMatch(/^HTTP\/1\.1 404 /);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers query parameters named like object properties with 400, and lets no parameter override the path', async () => {
    emulator = await startEmulator();
    const base = `http://${emulator.host}/v1/projects/p/databases/(default)/documents`;
    for (const name of ['constructor', '__proto__', 'toString']) {
      const res = await fetch(`${base}/c/d?${name}=1`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    }
    await fetch(`${base}:commit`, { method: 'POST', body: JSON.stringify({ writes: [{ update: { name: 'projects/p/databases/(default)/documents/c/real', fields: { v: { integerValue: '1' } } } }] }) });
    const res = await fetch(`${base}/c/missing?name=${encodeURIComponent('projects/p/databases/(default)/documents/c/real')}`);
    expect(res.status).toBe(404);
  });
});
