// `npm run emulator -- --port 8085 [--data .reckon-data/firestore]`: a standalone emulator.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8085' }, host: { type: 'string', default: '127.0.0.1' }, data: { type: 'string' } } });
const emulator = await startEmulator({ port: Number(values.port), host: values.host, dataDir: values.data });
console.log(`Firestore emulator listening; export FIRESTORE_EMULATOR_HOST=${emulator.host}${values.data ? ` (data in ${values.data})` : ' (in memory)'}`);
const stop = async () => { await emulator.stop(); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
