// The floor for cold starts of any function that uses Firestore: functions-framework and the
// official Firestore client (created lazily, as Reckon does), answering its first request after
// one document read. No function of Reckon's can start faster than this with the mandated client.
import { http } from '@google-cloud/functions-framework';
import { Firestore } from '@google-cloud/firestore';

let db: Firestore | undefined;
http('firestore', async (_req, res) => {
  db ??= new Firestore();
  const snap = await db.collection('baseline').doc('one').get();
  res.status(200).json({ ok: true, exists: snap.exists });
});
