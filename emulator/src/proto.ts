// Loads the google.firestore.v1 protocol definitions that ship with @google-cloud/firestore,
// so the emulator speaks exactly the wire format the official clients use.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import type { PackageDefinition } from '@grpc/proto-loader';

let cached: PackageDefinition | undefined;

/** Options that shape every decoded message the handlers see. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: false,
  oneofs: true,
};

/** The Firestore v1 package definition, loaded once per process. */
export function loadFirestoreProto(): PackageDefinition {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const firestoreDir = path.dirname(require.resolve('@google-cloud/firestore/package.json'));
  const protosDir = path.join(firestoreDir, 'build', 'protos');
  cached = protoLoader.loadSync('google/firestore/v1/firestore.proto', { ...LOADER_OPTIONS, includeDirs: [protosDir] });
  return cached;
}
