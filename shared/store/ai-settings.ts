// A team's AI settings (aiSettings/{tenantId}: off until an admin turns it on, and a daily
// request quota) and its usage per UTC day (aiUsage/{tenantId}_{day}: requests reserved, tokens
// Gemini reported). A request reserves its place in the day's quota in a transaction on the day's
// document: a team makes few AI requests, so contention is low, and a burst cannot overshoot.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import * as z from 'zod';
import { getDb } from './firestore.js';

export const DEFAULT_DAILY_QUOTA = 200;
export interface AiSettings { enabled: boolean; dailyQuota: number }
export interface DayUsage { day: string; requests: number; inputTokens: number; outputTokens: number }

const StoredSettings = z.object({ enabled: z.boolean(), dailyQuota: z.number().int() });
const StoredUsage = z.object({ day: z.string(), requests: z.number().default(0), inputTokens: z.number().default(0), outputTokens: z.number().default(0) });

const settingsRef = (tenantId: string) => getDb().collection('aiSettings').doc(tenantId);
const usageRef = (tenantId: string, day: string) => getDb().collection('aiUsage').doc(`${tenantId}_${day}`);
export const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

export async function getAiSettings(tenantId: string): Promise<AiSettings> {
  const snap = await settingsRef(tenantId).get();
  return snap.exists ? StoredSettings.parse(snap.data()) : { enabled: false, dailyQuota: DEFAULT_DAILY_QUOTA };
}

/** Writes the settings in the batch that records the change in the audit log (who changed them lives there only). */
export function putAiSettingsIn(batch: FirebaseFirestore.WriteBatch, tenantId: string, s: AiSettings, now: number): void {
  batch.set(settingsRef(tenantId), { ...s, tenantId, updatedAt: Timestamp.fromMillis(now) });
}

/** Takes one request of today's quota; false when the quota is used up (nothing is written then). */
export async function reserveAiRequest(tenantId: string, quota: number, now: number): Promise<boolean> {
  const day = utcDay(now);
  const ref = usageRef(tenantId, day);
  return getDb().runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const used = snap.exists ? Number(snap.get('requests') ?? 0) : 0;
    if (used >= quota) return false;
    tx.set(ref, { tenantId, day, requests: used + 1, updatedAt: FieldValue.serverTimestamp() }, { merge: true });
    return true;
  });
}

export async function addAiTokens(tenantId: string, now: number, usage: { inputTokens: number; outputTokens: number }): Promise<void> {
  await usageRef(tenantId, utcDay(now)).set({ inputTokens: FieldValue.increment(usage.inputTokens), outputTokens: FieldValue.increment(usage.outputTokens) }, { merge: true });
}

/** Usage of the last `days` UTC days that had any, newest first. */
export async function listAiUsage(tenantId: string, now: number, days = 30): Promise<DayUsage[]> {
  const refs = Array.from({ length: days }, (_, i) => usageRef(tenantId, utcDay(now - i * 86_400_000)));
  const snaps = await getDb().getAll(...refs);
  return snaps.filter((s) => s.exists).map((s) => StoredUsage.parse(s.data()));
}
