// `npm run probe`: starts the embedded emulator and runs ../shared/firestore-conformance/probe.mjs
// (the project-independent measure of documented Firestore behaviour) against it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startEmulator } from '../emulator/src/index.js';

const probe = path.resolve(process.argv[2] ?? '../shared/firestore-conformance/probe.mjs');
const emulator = await startEmulator();
// Async spawn: the emulator lives in this process and must keep answering.
const child = spawn(process.execPath, [probe], { stdio: 'inherit', env: { ...process.env, FIRESTORE_EMULATOR_HOST: emulator.host, METADATA_SERVER_DETECTION: 'none' } });
const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
await emulator.stop();
process.exit(code);
