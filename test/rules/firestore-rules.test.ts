// firestore.rules keeps every browser out of Firestore: Reckon's functions use the Admin SDK and
// enforce tenant and client isolation in code, so no client SDK may read, list or write anything —
// not a stranger, not a member of the tenant, not a guest of the session, whatever claims their
// token carries. Only the official emulator evaluates rules (Reckon's embedded one does not), so
// these run under `npm run test:official` (CI and Cloud Build) and are skipped, by name, elsewhere.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initializeTestEnvironment, type RulesTestContext, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { setLogLevel } from 'firebase/firestore';
import { freshProjectId, onEmbeddedEmulator } from '../support/firestore.js';

const TENANT = 'tenant-acme';
const SESSION = 'session-sprint-7';
const ALICE = 'uid-alice'; // the tenant's admin and the session's owner

// One document of every collection in DESIGN.md §3, as Reckon's functions write them.
const documents: Record<string, Record<string, unknown>> = {
  [`users/${ALICE}`]: { email: 'alice@example.com', displayName: 'Alice', passwordHash: '$argon2id$…', createdAt: 1 },
  'userEmails/alice@example.com': { uid: ALICE },
  [`tenants/${TENANT}`]: { name: 'Acme', aiEnabled: false, createdAt: 1 },
  [`memberships/${TENANT}_${ALICE}`]: { tenantId: TENANT, uid: ALICE, role: 'admin' },
  'clients/client-globex': { tenantId: TENANT, name: 'Globex' },
  [`portalAccess/client-globex_${ALICE}`]: { tenantId: TENANT, clientId: 'client-globex', uid: ALICE },
  'portalLinks/pl-1': { tenantId: TENANT, clientId: 'client-globex', note: 'for Ann', createdBy: ALICE, createdAt: 1, expiresAt: 1, revokedAt: null, usedBy: null, usedAt: null },
  'portalLinkUses/pl-1': { tenantId: TENANT, clientId: 'client-globex', uid: ALICE, usedAt: 1 },
  'portalApprovals/pa-1': { tenantId: TENANT, clientId: 'client-globex', sessionId: SESSION, issueId: 'i-checkout', decision: 'approved', comment: '', uid: ALICE, byName: 'Alice', at: 1, finalEstimate: '5', estimatedAt: 1 },
  [`memberActivity/${TENANT}_${ALICE}`]: { tenantId: TENANT, uid: ALICE, lastActiveAt: 1 },
  [`sessions/${SESSION}`]: { tenantId: TENANT, name: 'Sprint 7', ownerUid: ALICE, status: 'open', round: 1, revealed: false, joinCode: 'ACDEFGHJ' },
  [`sessions/${SESSION}/participants/p-guest`]: { tenantId: TENANT, displayName: 'Gus', kind: 'guest', lastSeenAt: 1 },
  [`sessions/${SESSION}/issues/i-checkout`]: { tenantId: TENANT, title: 'Checkout page', order: 1, finalEstimate: '5', approval: { decision: 'approved', comment: '', byName: 'Alice', at: 1 } },
  [`sessions/${SESSION}/votes/i-checkout_1_p-guest`]: { tenantId: TENANT, issueId: 'i-checkout', round: 1, participantId: 'p-guest', value: '5' },
  'joinCodes/ACDEFGHJ': { tenantId: TENANT, sessionId: SESSION, expiresAt: 1 },
  'refreshTokens/rt-1': { uid: ALICE, familyId: 'f-1', hash: 'h', expiresAt: 1 },
  'accessEndings/e-1': { user: 'k-1', at: 1, expiresAt: 1 },
  'jiraConnections/jc-1': { tenantId: TENANT, siteUrl: 'https://acme.atlassian.net', secret: { v: 1, data: 'x' } },
  'forgeInstallations/cloud-1': { tenantId: TENANT, secret: { v: 1, data: 'x' } },
  'webhookDeliveries/d-1': { cloudId: 'cloud-1', receivedAt: 1, expiresAt: 1 },
  'forgeConnectCodes/h-1': { tenantId: TENANT, createdBy: ALICE, createdAt: 1, expiresAt: 1 },
  'forgeSpent/fit_h-1': { expiresAt: 1 },
  'summaries/sum-1': { tenantId: TENANT, sessionId: SESSION, text: 'Agreed on 5', source: 'statistical' },
  'rateLimits/k-1': { count: 1, expiresAt: 1 },
  'jobCursors/jira-sync': { tenantId: TENANT },
  'jobLeases/jira-sync': { holder: 'x' },
};

type Outcome = 'allowed' | 'denied';

async function outcome(operation: () => Promise<unknown>): Promise<Outcome> {
  try {
    await operation();
    return 'allowed';
  } catch (error) {
    if ((error as { code?: string }).code === 'permission-denied') return 'denied';
    throw error;
  }
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

/** Every read, list and write a client could try on every document; returns those that were let through. */
async function allowedOperations(who: string, context: RulesTestContext): Promise<string[]> {
  const db = context.firestore();
  const allowed: string[] = [];
  for (const [path, data] of Object.entries(documents)) {
    const tries: Record<string, () => Promise<unknown>> = {
      get: () => db.doc(path).get(),
      list: () => db.collection(parentOf(path)).get(),
      'list own tenant': () => db.collection(parentOf(path)).where('tenantId', '==', TENANT).get(),
      create: () => db.collection(parentOf(path)).doc().set({ ...data, tenantId: TENANT }),
      update: () => db.doc(path).update({ tenantId: TENANT, touchedBy: who }),
      delete: () => db.doc(path).delete(),
    };
    for (const [name, operation] of Object.entries(tries)) {
      if ((await outcome(operation)) === 'allowed') allowed.push(`${who} ${name} ${path}`);
    }
  }
  return allowed;
}

function clientsOf(env: RulesTestEnvironment): Array<[string, RulesTestContext]> {
  return [
    ['stranger', env.unauthenticatedContext()],
    ['other tenant\'s user', env.authenticatedContext('uid-mallory', { tenants: { 'tenant-evil': 'admin' } })],
    // The tenant's own admin, with every claim a forged or future token might carry.
    ['admin of the tenant', env.authenticatedContext(ALICE, { tenantId: TENANT, role: 'admin', tenants: { [TENANT]: 'admin' }, admin: true })],
    ['guest of the session', env.authenticatedContext('guest-p-guest', { typ: 'guest', tenantId: TENANT, sessionId: SESSION, participantId: 'p-guest' })],
  ];
}

async function environmentWith(rules: string): Promise<RulesTestEnvironment> {
  const env = await initializeTestEnvironment({ projectId: freshProjectId('rules'), firestore: { rules } });
  await env.withSecurityRulesDisabled(async (admin) => {
    for (const [path, data] of Object.entries(documents)) await admin.firestore().doc(path).set(data);
  });
  return env;
}

describe.skipIf(onEmbeddedEmulator())('firestore.rules (official emulator only: Reckon\'s embedded emulator does not evaluate security rules; run by npm run test:official)', { timeout: 120_000 }, () => {
  let reckonRules: RulesTestEnvironment;
  let lenientRules: RulesTestEnvironment;

  beforeAll(async () => {
    setLogLevel('error'); // the web SDK warns of every denied write on stderr; the tests assert each outcome
    reckonRules = await environmentWith(fs.readFileSync('firestore.rules', 'utf8'));
    // A plausible mistake: "signed-in users may read their tenant's things". The same checks must catch it.
    lenientRules = await environmentWith(`rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{document=**} { allow read: if request.auth != null; allow write: if false; }
  }
}`);
  });
  afterAll(async () => { await reckonRules?.cleanup(); await lenientRules?.cleanup(); });

  it('lets no client read, list, create, update or delete any document, whoever it claims to be', async () => {
    const allowed: string[] = [];
    for (const [who, context] of clientsOf(reckonRules)) allowed.push(...(await allowedOperations(who, context)));
    expect(allowed).toEqual([]);
  });

  it('leaves every document as it was after all those attempts', async () => {
    for (const [who, context] of clientsOf(reckonRules)) await allowedOperations(who, context);
    await reckonRules.withSecurityRulesDisabled(async (admin) => {
      for (const [path, data] of Object.entries(documents)) {
        const snapshot = await admin.firestore().doc(path).get();
        expect(snapshot.data(), path).toEqual(data);
      }
      for (const parent of new Set(Object.keys(documents).map(parentOf))) {
        expect((await admin.firestore().collection(parent).get()).size, parent).toBe(Object.keys(documents).filter((p) => parentOf(p) === parent).length);
      }
    });
  });

  it('would catch rules that let signed-in users read: a guest could then read the votes before the reveal', async () => {
    const allowed: string[] = [];
    for (const [who, context] of clientsOf(lenientRules)) allowed.push(...(await allowedOperations(who, context)));
    expect(allowed).toContain(`guest of the session get sessions/${SESSION}/votes/i-checkout_1_p-guest`);
    expect(allowed).toContain('other tenant\'s user list own tenant jiraConnections/jc-1');
    expect(allowed.some((line) => line.startsWith('stranger'))).toBe(false);
  });
});
