// Points every Firestore client in the test worker at the emulator chosen by global-setup.
import { inject } from 'vitest';

process.env.FIRESTORE_EMULATOR_HOST = inject('firestoreHost');
// No Google metadata server is reachable here; stop the client libraries from probing for one.
process.env.METADATA_SERVER_DETECTION = 'none';
