// Starts Reckon's embedded Firestore emulator once for the whole run, unless
// FIRESTORE_EMULATOR_HOST already names one (e.g. the official emulator for `npm run test:official`).
import type { TestProject } from 'vitest/node';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index.js';

let emulator: RunningEmulator | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.FIRESTORE_EMULATOR_HOST;
  if (!external) emulator = await startEmulator();
  project.provide('firestoreHost', external ?? emulator!.host);
  project.provide('firestoreIsEmbedded', !external);
  return async () => { await emulator?.stop(); };
}

declare module 'vitest' {
  export interface ProvidedContext {
    firestoreHost: string;
    firestoreIsEmbedded: boolean;
  }
}
