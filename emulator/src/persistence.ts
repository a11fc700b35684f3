// Saves and loads every database to one file, as protobuf: a sequence of
// [u32 length][database name][u32 length][BatchWriteRequest with full Documents].
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadFirestoreProto } from './proto.js';
import type { Engine, DocumentProto } from './engine.js';
import { splitResourceName } from './paths.js';
import { timestampToMicros } from './values.js';

const FILE = 'firestore.bin';

function batchWriteCodec() {
  const service = loadFirestoreProto()['google.firestore.v1.Firestore'] as ServiceDefinition;
  return service.BatchWrite!;
}

/** Writes all live documents to `dir` atomically (temp file + rename). */
export function saveTo(engine: Engine, dir: string): void {
  const codec = batchWriteCodec();
  const parts: Buffer[] = [];
  for (const db of engine.allDatabases()) {
    const writes: { update: DocumentProto }[] = [];
    for (const [p] of db.docs) {
      const v = db.read(p);
      if (v) writes.push({ update: engine.toDocument(db, p, v) });
    }
    if (writes.length === 0) continue;
    const name = Buffer.from(db.root);
    const body = codec.requestSerialize({ database: db.root, writes });
    const head = Buffer.alloc(4); head.writeUInt32BE(name.length);
    const len = Buffer.alloc(4); len.writeUInt32BE(body.length);
    parts.push(head, name, len, body);
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${FILE}.tmp`);
  fs.writeFileSync(tmp, Buffer.concat(parts));
  fs.renameSync(tmp, path.join(dir, FILE));
}

/** Loads what `saveTo` wrote; a missing file means an empty emulator. */
export function loadFrom(engine: Engine, dir: string): number {
  const file = path.join(dir, FILE);
  if (!fs.existsSync(file)) return 0;
  const codec = batchWriteCodec();
  const buf = fs.readFileSync(file);
  let off = 0;
  let count = 0;
  while (off < buf.length) {
    const nameLen = buf.readUInt32BE(off); off += 4;
    const root = buf.subarray(off, off + nameLen).toString(); off += nameLen;
    const bodyLen = buf.readUInt32BE(off); off += 4;
    const req = codec.requestDeserialize(buf.subarray(off, off + bodyLen)) as { writes?: { update: DocumentProto }[] };
    off += bodyLen;
    const db = engine.database(root);
    for (const w of req.writes ?? []) {
      const { rel } = splitResourceName(w.update.name);
      db.put(rel, { fields: w.update.fields ?? {}, createTime: timestampToMicros(w.update.createTime!), updateTime: timestampToMicros(w.update.updateTime!) });
      count++;
    }
  }
  return count;
}
