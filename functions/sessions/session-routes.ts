// Sessions themselves: create, list, read, and the results export.
import { randomBytes } from 'node:crypto';
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { CreateSessionBody, ListSessionsQuery, SessionPath, type SessionView } from '../../shared/schemas/sessions.js';
import { deckValues, type Deck } from '../../shared/domain/decks.js';
import { joinCodeFrom } from '../../shared/domain/join-codes.js';
import { newId } from '../../shared/security/tokens.js';
import { getMembership } from '../../shared/store/memberships.js';
import { clientBelongsTo } from '../../shared/store/clients.js';
import { createSession, getSession, listSessionsOfTenant, JoinCodeTakenError, type SessionRecord } from '../../shared/store/sessions.js';
import { requireRoomForAnotherOpenSession } from './open-session-quota.js';
import { listIssues } from '../../shared/store/issues.js';
import { listSessionVotes } from '../../shared/store/votes.js';
import { listParticipants } from '../../shared/store/participants.js';
import { resultsCsv } from '../../shared/domain/results-csv.js';
import { requireMemberCaller } from '../../shared/rooms/room-caller.js';

const CREATE_LIMIT: RateLimit = { name: 'sessions:create:principal', max: 60, windowS: 3600 };
/** Join codes stay valid while a session may still be in use. */
const JOIN_CODE_TTL_MS = 30 * 86_400_000;

const notFound = () => new HttpError('not_found', 'No such session.');

/** Members of the tenant only; anyone else learns nothing (404, as for a missing tenant). */
async function requireMember(tenantId: string, uid: string, what: 'tenant' | 'session') {
  const m = await getMembership(tenantId, uid);
  if (!m) throw what === 'session' ? notFound() : new HttpError('not_found', 'No such team.');
  return m;
}

function view(s: SessionRecord): SessionView {
  return {
    id: s.id, tenantId: s.tenantId, clientId: s.clientId, name: s.name, ownerUid: s.ownerUid,
    deck: { name: s.deck.name, values: [...deckValues(s.deck)] }, status: s.status, autoReveal: s.autoReveal, joinCode: s.joinCode,
    currentIssueId: s.currentIssueId, round: s.round, revealed: s.revealed, createdAt: new Date(s.createdAt).toISOString(),
  };
}

const create = defineRoute({
  method: 'POST', path: '/api/sessions', auth: 'user', body: CreateSessionBody,
  rateLimits: (_in, ctx) => [{ limit: CREATE_LIMIT, subject: ctx.principal?.uid ?? ctx.clientIp }],
  async handler({ body }, ctx) {
    const uid = ctx.principal!.uid;
    await requireMember(body.tenantId, uid, 'tenant');
    if (body.clientId && !(await clientBelongsTo(body.tenantId, body.clientId))) throw new HttpError('not_found', 'No such client.');
    await requireRoomForAnotherOpenSession(body.tenantId);
    const deck: Deck = typeof body.deck === 'string' ? { name: body.deck } : { name: 'custom', values: body.deck.custom.map((v) => v.trim()) };
    for (let attempt = 0; attempt < 3; attempt++) {
      const session: SessionRecord = {
        id: newId(), tenantId: body.tenantId, clientId: body.clientId ?? null, name: body.name, ownerUid: uid, deck,
        status: 'open', autoReveal: body.autoReveal, joinCode: joinCodeFrom(randomBytes), currentIssueId: null,
        round: 0, revealed: false, stateVersion: 0, createdAt: ctx.now,
        issuesVersion: 0, participantsVersion: 0, issueCount: 0, nextIssueOrder: 0,
      };
      try {
        await createSession(session, ctx.now + JOIN_CODE_TTL_MS);
        return { status: 201, body: { session: view(session) } };
      } catch (e) {
        if (!(e instanceof JoinCodeTakenError)) throw e; // a code collision: draw another
      }
    }
    throw new HttpError('unavailable', 'Could not allocate a join code; try again.');
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/sessions', auth: 'user', query: ListSessionsQuery,
  async handler({ query }, ctx) {
    await requireMember(query.tenantId, ctx.principal!.uid, 'tenant');
    return { body: { sessions: (await listSessionsOfTenant(query.tenantId)).map(view) } };
  },
});

const read = defineRoute({
  method: 'GET', path: '/api/sessions/:id', auth: 'user', params: SessionPath,
  async handler({ params }, ctx) {
    const session = await getSession(params.id);
    if (!session) throw notFound();
    await requireMember(session.tenantId, ctx.principal!.uid, 'session');
    return { body: { session: view(session) } };
  },
});

const results = defineRoute({
  method: 'GET', path: '/api/sessions/:id/results.csv', auth: 'user', params: SessionPath,
  async handler({ params }, ctx) {
    const session = await getSession(params.id);
    if (!session) throw notFound();
    requireMemberCaller(session, ctx);
    const [issues, votes, participants] = await Promise.all([
      listIssues(session.id, session.tenantId), listSessionVotes(session.id, session.tenantId), listParticipants(session.id, session.tenantId),
    ]);
    issues.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    // Only revealed rounds show cards; the round in play counts as revealed once it is.
    const revealedNow = (i: { id: string }) => (session.revealed && i.id === session.currentIssueId ? [session.round] : []);
    const csv = resultsCsv(
      issues.map((i) => ({
        id: i.id, title: i.title, jiraKey: i.jira?.key ?? null, finalEstimate: i.finalEstimate, rounds: i.rounds,
        revealedRounds: [...(i.revealedRounds ?? []), ...revealedNow(i)],
      })),
      votes,
      new Map(participants.map((p) => [p.id, p.displayName])),
    );
    const filename = `${session.name.replace(/[^A-Za-z0-9 _-]/g, '').trim().replace(/\s+/g, '-') || 'session'}-results.csv`;
    return { raw: { contentType: 'text/csv; charset=utf-8', text: csv }, headers: { 'Content-Disposition': `attachment; filename="${filename}"` } };
  },
});

export const sessionRoutes: Route[] = [create, list, read, results];
