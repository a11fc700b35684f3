// Runs Reckon (every function behind firebase.json's rewrites) on a random port against the
// test emulator, with a project id of its own, and gives HTTP clients that behave like browsers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { configure } from '../../shared/config/config.js';
import { answerParserErrors, createGateway } from '../../scripts/local-gateway.js';
import { freshProjectId } from './firestore.js';
import type { Reckon } from './api-client.js';

export { ApiClient, newAccount, registeredClient, type Reckon, type ApiResponse, type RequestOptions } from './api-client.js';

export async function startReckon(env: Record<string, string> = {}, webDir?: string): Promise<Reckon> {
  const projectId = freshProjectId('reckon');
  const server = http.createServer(await createGateway(webDir));
  answerParserErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configure({ ...process.env, GOOGLE_CLOUD_PROJECT: projectId, RECKON_SITE_ORIGIN: url, RECKON_LOG_LEVEL: 'silent', ...env });
  return { url, projectId, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

