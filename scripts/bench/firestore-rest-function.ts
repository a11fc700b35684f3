// firestore-function.ts over the REST transport (`preferRest`), as Reckon's functions reach
// Firestore. Against an emulator the client sends no credentials over gRPC, but its REST path
// always asks an auth client for headers; an API-key client answers without any network call (as
// in shared/store/firestore.ts), so neither floor pays for authentication.
import { http } from '@google-cloud/functions-framework';
import { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-gax';

let db: Firestore | undefined;
http('firestoreRest', async (_req, res) => {
  db ??= new Firestore({ preferRest: true, auth: new GoogleAuth({ apiKey: 'bench' }) } as ConstructorParameters<typeof Firestore>[0]);
  const snap = await db.collection('baseline').doc('one').get();
  res.status(200).json({ ok: true, exists: snap.exists });
});
