// The floor for the poll's cold start: functions-framework and the Firestore client (over the
// transport BENCH_FIRESTORE_TRANSPORT names) making the kinds of call a first poll makes, in the
// same order: a document read (the session), a one-document query (the room clock) beside a
// presence write, then three queries at once (issues, participants, votes). Over REST each new
// kind of call costs CPU the one-read floor does not pay (docs/performance.md).
import { http } from '@google-cloud/functions-framework';
import { Firestore } from '@google-cloud/firestore';
import { GoogleAuth } from 'google-gax';

let db: Firestore | undefined;
http('pollFloor', async (_req, res) => {
  db ??= new Firestore(process.env.BENCH_FIRESTORE_TRANSPORT === 'rest' ? { preferRest: true, auth: new GoogleAuth({ apiKey: 'bench' }) } as ConstructorParameters<typeof Firestore>[0] : {});
  const rooms = db.collection('floorRooms');
  const session = await rooms.doc('one').get();
  const [clock] = await Promise.all([
    rooms.doc('one').collection('changes').where('tenantId', '==', 't').orderBy('at', 'desc').limit(1).get(),
    rooms.doc('one').collection('participants').doc('p').set({ lastSeenAt: new Date() }, { merge: true }),
  ]);
  const lists = await Promise.all(['issues', 'participants', 'votes'].map((c) => rooms.doc('one').collection(c).where('tenantId', '==', 't').get()));
  res.status(200).json({ ok: true, exists: session.exists, changes: clock.size, listed: lists.map((l) => l.size) });
});
