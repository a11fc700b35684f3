// Sessions themselves: create, list, read, and the results export.
import { randomBytes } from 'node:crypto';
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { CreateSessionBody, ListSessionsQuery, SessionPath, UpdateSessionBody, type SessionView } from '../../shared/schemas/sessions.js';
import { deckValues, type Deck } from '../../shared/domain/decks.js';
import { joinCodeFrom } from '../../shared/domain/join-codes.js';
import { newId } from '../../shared/security/tokens.js';
import { clientBelongsTo } from '../../shared/store/clients.js';
import { commitRoomChange, createSession, listSessionsOfTenant, JoinCodeTakenError, type SessionRecord } from '../../shared/store/sessions.js';
import { moderate } from './moderate.js';
import { opensPerPerson, openWithinSessionCap } from './open-session-quota.js';
import { listIssues, writeIssueUpdate } from '../../shared/store/issues.js';
import { prepareInsightWrites } from '../../shared/rooms/issue-insights.js';
import { listSessionVotes } from '../../shared/store/votes.js';
import { listParticipants } from '../../shared/store/participants.js';
import { resultsCsv } from '../../shared/domain/results-csv.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { tallyFrom } from '../../shared/domain/write-back-tally.js';

/** Join codes stay valid while a session may still be in use. */
const JOIN_CODE_TTL_MS = 30 * 86_400_000;


function view(s: SessionRecord): SessionView {
  return {
    id: s.id, tenantId: s.tenantId, clientId: s.clientId, name: s.name, ownerUid: s.ownerUid,
    deck: { name: s.deck.name, values: [...deckValues(s.deck)] }, status: s.status, autoReveal: s.autoReveal, joinCode: s.joinCode,
    currentIssueId: s.currentIssueId, round: s.round, revealed: s.revealed, createdAt: new Date(s.createdAt).toISOString(),
    writeBacks: tallyFrom(s.writeBacks),
  };
}

const create = defineRoute({
  method: 'POST', path: '/api/sessions', permission: 'team.read', body: CreateSessionBody,
  rateLimits: opensPerPerson,
  async handler({ body }, ctx) {
    const { uid } = requireTeam(ctx, 'team.read', body.tenantId);
    if (body.clientId && !(await clientBelongsTo(body.tenantId, body.clientId))) throw new HttpError('not_found', 'No such client.');
    const deck: Deck = typeof body.deck === 'string' ? { name: body.deck } : { name: 'custom', values: body.deck.custom.map((v) => v.trim()) };
    const made = await openWithinSessionCap(body.tenantId, ctx.now, async (gate) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const session: SessionRecord = {
          id: newId(), tenantId: body.tenantId, clientId: body.clientId ?? null, name: body.name, ownerUid: uid, deck,
          status: 'open', autoReveal: body.autoReveal, joinCode: joinCodeFrom(randomBytes), currentIssueId: null,
          round: 0, revealed: false, stateVersion: 0, createdAt: ctx.now,
          issuesVersion: 0, participantsVersion: 0, issueCount: 0, nextIssueOrder: 0,
        };
        try {
          await createSession(session, ctx.now + JOIN_CODE_TTL_MS, gate);
          return session;
        } catch (e) {
          if (!(e instanceof JoinCodeTakenError)) throw e; // a code collision: draw another
        }
      }
      return undefined;
    });
    if (made) return { status: 201, body: { session: view(made) } };
    throw new HttpError('unavailable', 'Could not allocate a join code; try again.');
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/sessions', permission: 'team.read', query: ListSessionsQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.read', query.tenantId);
    const sessions = await listSessionsOfTenant(query.tenantId, 100, query.clientId);
    return { body: { sessions: sessions.map(view) } };
  },
});

const read = defineRoute({
  method: 'GET', path: '/api/sessions/:id', permission: 'session.read', params: SessionPath,
  async handler({ params }, ctx) {
    const { stored } = await loadSessionFor(ctx, 'session.read', params.id);
    return { body: { session: view(stored.record) } };
  },
});

const results = defineRoute({
  method: 'GET', path: '/api/sessions/:id/results.csv', permission: 'session.read', params: SessionPath,
  async handler({ params }, ctx) {
    const session = (await loadSessionFor(ctx, 'session.read', params.id)).stored.record;
    const [issues, votes, participants] = await Promise.all([
      listIssues(session.id, session.tenantId), listSessionVotes(session.id, session.tenantId), listParticipants(session.id, session.tenantId),
    ]);
    issues.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    // Only revealed rounds show cards; the round in play counts as revealed once it is.
    const revealedNow = (i: { id: string }) => (session.revealed && i.id === session.currentIssueId ? [session.round] : []);
    const csv = resultsCsv(
      issues.map((i) => ({
        id: i.id, title: i.title, jiraKey: i.jira?.key ?? null, finalEstimate: i.finalEstimate, rounds: i.rounds,
        revealedRounds: [...(i.revealedRounds ?? []), ...revealedNow(i)], approval: i.approval,
      })),
      votes,
      new Map(participants.map((p) => [p.id, p.displayName])),
    );
    const filename = `${session.name.replace(/[^A-Za-z0-9 _-]/g, '').trim().replace(/\s+/g, '-') || 'session'}-results.csv`;
    return { raw: { contentType: 'text/csv; charset=utf-8', text: csv }, headers: { 'Content-Disposition': `attachment; filename="${filename}"` } };
  },
});

/** The moderator assigns the session to a client of its team (or to none): its portal sees its finalized issues. */
const update = defineRoute({
  method: 'PATCH', path: '/api/sessions/:id', permission: 'session.moderate', params: SessionPath, body: UpdateSessionBody,
  async handler({ params, body }, ctx) {
    const session = await moderate(params.id, ctx, async (s) => {
      if (s.record.clientId === body.clientId) return s.record;
      if (body.clientId !== null && !(await clientBelongsTo(s.record.tenantId, body.clientId))) throw new HttpError('not_found', 'No such client.');
      // Its finalized issues move to the new client's insight aggregates in the same batch.
      const issues = (await listIssues(s.record.id, s.record.tenantId)).filter((i) => i.insight);
      const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, issues.map((i) => ({ before: i, after: i, clientId: body.clientId })));
      const writes = (batch: FirebaseFirestore.WriteBatch) => [...insight.entries].reduce((n, [id, e]) => n + writeIssueUpdate(batch, s.record.id, id, { insight: e }), insight.write(batch));
      await commitRoomChange(s, { fields: { clientId: body.clientId }, writes }, ctx.now);
      return { ...s.record, clientId: body.clientId };
    }, { evenWhenClosed: true });
    return { body: { session: view(session) } };
  },
});

export const sessionRoutes: Route[] = [create, list, read, update, results];
