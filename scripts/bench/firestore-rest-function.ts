// firestore-function.ts over the REST transport (`preferRest`). Against an emulator the client
// sends no credentials over gRPC, but its REST path always asks an auth client for headers; an
// API-key client answers without any network call, so neither floor pays for authentication.
import { createRequire } from 'node:module';
import { http } from '@google-cloud/functions-framework';
import { Firestore } from '@google-cloud/firestore';

// google-gax comes with the Firestore client (it loads it at import anyway); take its GoogleAuth.
const { GoogleAuth } = createRequire(import.meta.url)('google-gax') as typeof import('google-gax');

let db: Firestore | undefined;
http('firestoreRest', async (_req, res) => {
  db ??= new Firestore({ preferRest: true, auth: new GoogleAuth({ apiKey: 'bench' }) } as ConstructorParameters<typeof Firestore>[0]);
  const snap = await db.collection('baseline').doc('one').get();
  res.status(200).json({ ok: true, exists: snap.exists });
});
