// A Firestore client on a project id of its own, so test files never see each other's data.
import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { inject } from 'vitest';
import { restTransport } from '../../shared/store/firestore.js';

export function freshProjectId(prefix = 'test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/**
 * A client for a new, empty project on the test emulator, over gRPC unless `transport` is 'rest'
 * (set up as the functions set theirs when RECKON_FIRESTORE_TRANSPORT=rest).
 */
export function newFirestore(options: { projectId?: string; databaseId?: string; useBigInt?: boolean; transport?: 'grpc' | 'rest' } = {}): Firestore {
  const rest = options.transport === 'rest' ? restTransport() : {};
  return new Firestore({ projectId: options.projectId ?? freshProjectId(), databaseId: options.databaseId, useBigInt: options.useBigInt, ...rest });
}

/** Whether the run uses Reckon's embedded emulator (false when FIRESTORE_EMULATOR_HOST named another). */
export function onEmbeddedEmulator(): boolean {
  return inject('firestoreIsEmbedded');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every document of a project (subcollections included) with its data and update time, in a
 * stable order: comparing two dumps proves whether anything at all was written in between.
 */
export async function databaseDump(projectId: string): Promise<string> {
  const db = newFirestore({ projectId });
  const out: string[] = [];
  // Each collection's documents in one read, and every level walked in parallel: a sequential
  // walk made a round trip per document and per subcollection list, and the tests that compare a
  // dump before and after each refused call spent most of their time here.
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    await Promise.all(collections.map(async (c) => {
      const refs = await c.listDocuments();
      if (refs.length === 0) return;
      for (const snap of await db.getAll(...refs)) {
        if (snap.exists) out.push(`${snap.ref.path} @${snap.updateTime!.toMillis()}.${snap.updateTime!.nanoseconds} ${JSON.stringify(snap.data())}`);
      }
      await Promise.all(refs.map(async (ref) => walk(await ref.listCollections())));
    }));
  };
  await walk(await db.listCollections());
  await db.terminate();
  out.sort();
  return out.join('\n');
}
