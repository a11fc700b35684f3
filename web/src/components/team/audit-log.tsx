// The team's audit log, for admins: newest first, more on request, and the whole log as CSV.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEventView } from '../../../../shared/schemas/teams.js';
import { teamsApi } from '../../api.js';

const WHAT: Record<AuditEventView['action'], string> = {
  'team.created': 'created the team', 'team.renamed': 'renamed the team', 'team.retention_changed': 'changed how long closed sessions are kept',
  'invite.created': 'created an invite link', 'invite.revoked': 'revoked an invite link', 'invite.accepted': 'joined by an invite link',
  'member.removed': 'removed', 'member.left': 'left the team', 'member.role_changed': 'changed the role of',
  'jira.connection_added': 'connected Jira', 'jira.connection_removed': 'removed a Jira connection',
  'forge.installation_registered': 'registered a Forge installation', 'forge.installation_rotated': 'rotated a Forge secret',
  'forge.installation_revoked': 'revoked a Forge installation', 'session.deleted': 'deleted a session',
  'client.created': 'added a client', 'client.renamed': 'renamed a client', 'client.archived': 'archived a client', 'client.unarchived': 'unarchived a client',
  'portal_link.created': 'created a portal link', 'portal_link.revoked': 'revoked a portal link', 'portal_link.redeemed': 'redeemed a portal link',
  'portal_user.removed': "removed a client's portal user",
  'ai.settings_changed': 'changed the AI settings',
};

function describe(e: AuditEventView): string {
  const d = e.details;
  const target = e.target.type === 'user' && e.action !== 'member.left' ? ` ${e.target.name ?? ''}` : '';
  const extra = e.action === 'member.role_changed' ? ` (${d.from} → ${d.to})`
    : e.action === 'team.renamed' ? ` to “${d.to}”`
      : e.action === 'team.retention_changed' ? ` (${d.from} → ${d.to} days)`
      : e.action === 'ai.settings_changed' ? ` (AI ${d.enabled}, ${d.dailyQuota} requests a day)`
      : 'role' in d && e.action.startsWith('invite.') ? ` (${d.role})`
        : 'siteUrl' in d ? ` (${d.siteUrl})` : e.target.type === 'forgeInstallation' ? ` (${e.target.id})` : '';
  return `${e.actor.displayName} ${WHAT[e.action] ?? e.action}${target}${extra}`;
}

export function AuditLog({ tenantId, version }: { tenantId: string; version: number }) {
  const [events, setEvents] = useState<AuditEventView[]>();
  const [next, setNext] = useState<string | null>(null);
  useEffect(() => { teamsApi.audit(tenantId).then((p) => { setEvents(p.events); setNext(p.next); }, () => setEvents([])); }, [tenantId, version]);
  const more = async () => {
    const p = await teamsApi.audit(tenantId, next ?? undefined);
    setEvents([...(events ?? []), ...p.events]);
    setNext(p.next);
  };
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p><a href={teamsApi.auditCsvUrl(tenantId)} download>Download the audit log (CSV)</a></p>
      {events === undefined ? <p role="status">Loading…</p> : (
        <ol class="audit" data-testid="audit-log">
          {events.map((e) => <li key={e.id}><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> {describe(e)}</li>)}
        </ol>
      )}
      {next && <button type="button" class="secondary" onClick={more}>Older events</button>}
    </section>
  );
}
