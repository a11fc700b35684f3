// A team's "Requests" session: where issues that people ask to have estimated from Jira (the
// Forge app's estimation_requested) collect. Created on first use with an id derived from the
// team, so two events arriving together cannot create two; owned by the admin who registered
// the installation. When a moderator closed it, the next request starts a new one (generation
// 1, 2, …, ids derived the same way): a closed session is finished and no route adds to it, so
// the requests go to a fresh agenda and the closed one stays as it was (docs/forge.md).
// Requests go to the oldest open generation, so reopening one collects into it again.
import { createHash, randomBytes } from 'node:crypto';
import { HttpError } from '../../shared/http/errors.js';
import { joinCodeFrom } from '../../shared/domain/join-codes.js';
import { createSession, getStoredSession, JoinCodeTakenError, type StoredSession } from '../../shared/store/sessions.js';
import type { ForgeInstallationRecord } from '../../shared/store/forge-installations.js';

const JOIN_CODE_TTL_MS = 30 * 86_400_000;
export const REQUESTS_SESSION_NAME = 'Requests from Jira';
/** Generations read at once after the first (one read for a team whose first one is open). */
const BATCH = 8;

export function requestsSessionId(tenantId: string, generation = 0): string {
  const base = `requests-${createHash('sha256').update(tenantId).digest('base64url').slice(0, 24)}`;
  return generation === 0 ? base : `${base}-${generation}`;
}

/** The oldest open generation, or else the first free generation (the first missing one ends the line). */
async function currentGeneration(tenantId: string): Promise<{ generation: number; open?: StoredSession }> {
  for (let from = 0, size = 1; ; from += size, size = BATCH) {
    const batch = await Promise.all(Array.from({ length: size }, (_, i) => getStoredSession(requestsSessionId(tenantId, from + i))));
    for (const [i, session] of batch.entries()) {
      if (!session) return { generation: from + i };
      if (session.record.status === 'open') return { generation: from + i, open: session };
    }
  }
}

/** The team's open Requests session, made when there is none or all were closed. */
export async function requestsSessionOf(installation: ForgeInstallationRecord, now: number): Promise<StoredSession> {
  const tenantId = installation.tenantId;
  for (let attempt = 0; attempt < 4; attempt++) {
    const { generation, open } = await currentGeneration(tenantId);
    if (open) return open;
    try {
      await createSession({
        id: requestsSessionId(tenantId, generation), tenantId, clientId: null, ownerUid: installation.createdBy,
        name: generation === 0 ? REQUESTS_SESSION_NAME : `${REQUESTS_SESSION_NAME} (${generation + 1})`,
        deck: { name: 'fibonacci' }, status: 'open', autoReveal: true, joinCode: joinCodeFrom(randomBytes), currentIssueId: null,
        round: 0, revealed: false, stateVersion: 0, createdAt: now, issuesVersion: 0, participantsVersion: 0, issueCount: 0, nextIssueOrder: 0,
      }, now + JOIN_CODE_TTL_MS);
    } catch (e) {
      // The session was created meanwhile, or the join code was taken: read again and decide again.
      if (!(e instanceof JoinCodeTakenError)) throw e;
    }
  }
  throw new HttpError('unavailable', 'Could not create the Requests session; send the event again.');
}
