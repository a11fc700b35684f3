// A team's "Requests" session: where issues that people ask to have estimated from Jira (the
// Forge app's estimation_requested) collect. Created on first use with an id derived from the
// team, so two events arriving together cannot create two; owned by the admin who registered
// the installation.
import { createHash, randomBytes } from 'node:crypto';
import { HttpError } from '../../shared/http/errors.js';
import { joinCodeFrom } from '../../shared/domain/join-codes.js';
import { createSession, getStoredSession, JoinCodeTakenError, type StoredSession } from '../../shared/store/sessions.js';
import type { ForgeInstallationRecord } from '../../shared/store/forge-installations.js';

const JOIN_CODE_TTL_MS = 30 * 86_400_000;
export const REQUESTS_SESSION_NAME = 'Requests from Jira';

export const requestsSessionId = (tenantId: string) => `requests-${createHash('sha256').update(tenantId).digest('base64url').slice(0, 24)}`;

export async function requestsSessionOf(installation: ForgeInstallationRecord, now: number): Promise<StoredSession> {
  const id = requestsSessionId(installation.tenantId);
  for (let attempt = 0; attempt < 4; attempt++) {
    const existing = await getStoredSession(id);
    if (existing) return existing;
    try {
      await createSession({
        id, tenantId: installation.tenantId, clientId: null, name: REQUESTS_SESSION_NAME, ownerUid: installation.createdBy,
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
