// The one Firestore client of an instance, created on first use (never at import time).
import { Firestore } from '@google-cloud/firestore';
import { getConfig, onConfigure } from '../config/config.js';

let db: Firestore | undefined;
onConfigure(() => { void db?.terminate(); db = undefined; });

export function getDb(): Firestore {
  db ??= new Firestore({ projectId: getConfig().projectId });
  return db;
}
