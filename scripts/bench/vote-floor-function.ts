// The floor for the vote's cold start: functions-framework and the Firestore client (over the
// transport BENCH_FIRESTORE_TRANSPORT names) doing what a cast does in Firestore: a document read
// beside a transaction that reads two documents and writes one.
import { http } from '@google-cloud/functions-framework';
import { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-gax';

let db: Firestore | undefined;
http('voteFloor', async (_req, res) => {
  const fs = db ??= new Firestore(process.env.BENCH_FIRESTORE_TRANSPORT === 'rest' ? { preferRest: true, auth: new GoogleAuth({ apiKey: 'bench' }) } as ConstructorParameters<typeof Firestore>[0] : {});
  const room = fs.collection('floorRooms').doc('one');
  const [participant, changed] = await Promise.all([
    room.collection('participants').doc('p').get(),
    fs.runTransaction(async (tx) => {
      const [session, vote] = await Promise.all([tx.get(room), tx.get(room.collection('votes').doc('p'))]);
      tx.set(room.collection('votes').doc('p'), { value: '8', at: new Date() });
      return session.exists || vote.exists;
    }),
  ]);
  res.status(200).json({ ok: true, participant: participant.exists, changed });
});
