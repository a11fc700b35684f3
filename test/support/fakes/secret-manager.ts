// A local Secret Manager that speaks the real gRPC protocol (google.cloud.secretmanager.v1),
// so the official client can be pointed at it. It serves AccessSecretVersion only.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export interface FakeSecretManager {
  host: string;
  port: number;
  /** Secret payloads by full version name prefix `projects/{p}/secrets/{name}`. */
  secrets: Map<string, string>;
  /** Names asked for, in order. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startFakeSecretManager(): Promise<FakeSecretManager> {
  const require = createRequire(import.meta.url);
  const protos = path.join(path.dirname(require.resolve('@google-cloud/secret-manager/package.json')), 'build', 'protos');
  // google-gax (a dependency of the client) ships google/api/*.proto; its package.json is not exported.
  const gaxProtos = path.join(path.dirname(require.resolve('google-gax')), '..', 'protos');
  const def = protoLoader.loadSync('google/cloud/secretmanager/v1/service.proto', { includeDirs: [protos, gaxProtos], keepCase: false, longs: String, enums: String, defaults: false, oneofs: true });
  const service = def['google.cloud.secretmanager.v1.SecretManagerService'] as grpc.ServiceDefinition;
  const secrets = new Map<string, string>();
  const requests: string[] = [];
  const server = new grpc.Server();
  const unimplemented: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(service)) unimplemented[name] = (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.UNIMPLEMENTED });
  server.addService(service, {
    ...unimplemented,
    AccessSecretVersion: (call: grpc.ServerUnaryCall<{ name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const name = call.request.name;
      requests.push(name);
      const m = /^(projects\/[^/]+\/secrets\/[^/]+)\/versions\/(latest|\d+)$/.exec(name);
      const value = m ? secrets.get(m[1]!) : undefined;
      if (value === undefined) { cb({ code: grpc.status.NOT_FOUND, details: `Secret [${name}] not found or has no versions.` }); return; }
      cb(null, { name: `${m![1]}/versions/1`, payload: { data: Buffer.from(value) } });
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return { host: '127.0.0.1', port, secrets, requests, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}
