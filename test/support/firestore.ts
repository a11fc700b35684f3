// A Firestore client on a project id of its own, so test files never see each other's data.
import { randomBytes } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { inject } from 'vitest';

export function freshProjectId(prefix = 'test'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A client for a new, empty project on the test emulator. */
export function newFirestore(options: { projectId?: string; databaseId?: string; useBigInt?: boolean } = {}): Firestore {
  return new Firestore({ projectId: options.projectId ?? freshProjectId(), databaseId: options.databaseId, useBigInt: options.useBigInt });
}

/** Whether the run uses Reckon's embedded emulator (false when FIRESTORE_EMULATOR_HOST named another). */
export function onEmbeddedEmulator(): boolean {
  return inject('firestoreIsEmbedded');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
