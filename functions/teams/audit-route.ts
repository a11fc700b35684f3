// The audit log, for admins: newest first, a page at a time, or as CSV.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { AuditQuery, TeamPath, type AuditPage } from '../../shared/schemas/teams.js';
import { auditCsv } from '../../shared/domain/audit-csv.js';
import { listAuditEvents, type StoredAuditEvent } from '../../shared/store/audit-events.js';
import { getProfiles } from '../../shared/store/users.js';
import { requireAdmin } from './access.js';
import { auditView } from './views.js';

/** The CSV holds the newest events up to this many. */
export const CSV_MAX_EVENTS = 5000;

async function views(events: StoredAuditEvent[]) {
  const names = await getProfiles(events.flatMap((e) => (e.target.type === 'user' ? [e.actorUid, e.target.id] : [e.actorUid])));
  return events.map((e) => auditView(e, names));
}

const cursorOf = (e: StoredAuditEvent) => `${e.at}.${e.id}`;

function parseCursor(before: string | undefined): { at: number; id: string } | undefined {
  if (!before) return undefined;
  const dot = before.indexOf('.');
  return { at: Number(before.slice(0, dot)), id: before.slice(dot + 1) };
}

const audit = defineRoute({
  method: 'GET', path: '/api/teams/:tenantId/audit', permission: 'team.admin', params: TeamPath, query: AuditQuery,
  async handler({ params, query }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    if (query.format === 'csv') {
      const events = await views(await listAuditEvents(params.tenantId, parseCursor(query.before), CSV_MAX_EVENTS));
      const day = new Date(ctx.now).toISOString().slice(0, 10);
      return { raw: { contentType: 'text/csv; charset=utf-8', text: auditCsv(events) }, headers: { 'Content-Disposition': `attachment; filename="reckon-audit-${day}.csv"` } };
    }
    const page = await listAuditEvents(params.tenantId, parseCursor(query.before), query.limit + 1);
    const events = page.slice(0, query.limit);
    const body: AuditPage = { events: await views(events), next: page.length > query.limit ? cursorOf(events[events.length - 1]!) : null };
    return { body };
  },
});

export const auditRoutes: Route[] = [audit];
