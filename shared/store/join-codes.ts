// Join codes: joinCodes/{code} → the session a code lets people into (created with the session).
import type { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface JoinCodeRecord { code: string; tenantId: string; sessionId: string; expiresAt: number }

export async function getJoinCode(code: string): Promise<JoinCodeRecord | undefined> {
  const snap = await getDb().collection('joinCodes').doc(code).get();
  if (!snap.exists) return undefined;
  const d = snap.data()!;
  return { code, tenantId: d.tenantId, sessionId: d.sessionId, expiresAt: (d.expiresAt as Timestamp).toMillis() };
}
