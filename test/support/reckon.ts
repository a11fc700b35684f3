// Runs Reckon (every function behind firebase.json's rewrites) on a random port against the
// test emulator, with a project id of its own, and gives HTTP clients that behave like browsers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configure } from '../../shared/config/config.js';
import { answerParserErrors, createGateway } from '../../scripts/local-gateway.js';
import { freshProjectId } from './firestore.js';
import { SIMULATED_ADDRESS_HEADER, type Reckon } from './api-client.js';

export { ApiClient, newAccount, registeredClient, type Reckon, type ApiResponse, type RequestOptions } from './api-client.js';

export async function startReckon(env: Record<string, string> = {}, webDir?: string): Promise<Reckon> {
  const projectId = freshProjectId('reckon');
  // A client standing for another address (ApiClient's `address`) names it in a header of the
  // tests' own, which this front end takes as the caller's address and removes.
  const peerAddress = (req: http.IncomingMessage) => {
    const named = req.headers[SIMULATED_ADDRESS_HEADER];
    delete req.headers[SIMULATED_ADDRESS_HEADER];
    return typeof named === 'string' ? named : req.socket.remoteAddress;
  };
  const server = http.createServer(await createGateway(webDir, { peerAddress }));
  answerParserErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configure({ ...process.env, GOOGLE_CLOUD_PROJECT: projectId, RECKON_SITE_ORIGIN: url, RECKON_LOG_LEVEL: 'silent', ...env });
  return { url, projectId, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

