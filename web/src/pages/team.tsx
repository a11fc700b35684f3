// The Team page: the team switcher, members (roles, last activity, remove, leave), and for admins
// the name, invite links, team settings (Jira, Forge) and the audit log; a form for a new team.
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { MemberView, TeamResponse, TeamRole } from '../../../shared/schemas/teams.js';
import { teamsApi, ApiError } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { TeamSwitcher, useCurrentTeam, rememberTeam } from '../components/current-team.js';
import { Members } from '../components/team/members.js';
import { Invites } from '../components/team/invites.js';
import { AuditLog } from '../components/team/audit-log.js';
import { AiSettings } from '../components/ai/ai-settings.js';
import { Retention } from '../components/team/retention.js';

const problem = (e: unknown) => (e instanceof ApiError ? e.message : 'Reckon could not be reached.');

function NameForm({ label, initial, submitLabel, onSave }: { label: string; initial: string; submitLabel: string; onSave: (name: string) => Promise<void> }) {
  const [name, setName] = useState(initial);
  const { submit, error, busy } = useSubmit(() => onSave(name));
  return (
    <form onSubmit={submit} aria-label={submitLabel}>
      <Field id={`name-${submitLabel.replace(/\W+/g, '-').toLowerCase()}`} label={label} value={name} onInput={setName} error={error?.fieldMessage('name')} />
      <FormError message={error && !error.issues.length ? error.message : undefined} />
      <button type="submit" disabled={busy}>{submitLabel}</button>
    </form>
  );
}

export function Team({ me, onChanged }: { me: MeResponse; onChanged: () => Promise<void> }) {
  const [tenantId, setTenantId] = useCurrentTeam(me.memberships);
  const [data, setData] = useState<TeamResponse>();
  const [message, setMessage] = useState<string>();
  const [version, setVersion] = useState(0);
  const load = () => { if (tenantId) teamsApi.get(tenantId).then(setData, (e) => setMessage(problem(e))); };
  useEffect(() => { setData(undefined); load(); }, [tenantId]);
  const isAdmin = data?.members.find((m) => m.uid === me.user.uid)?.role === 'admin';

  /** Runs a change, then reloads the team, the person's roles and the log. */
  const change = async (what: () => Promise<unknown>, done: string) => {
    setMessage(undefined);
    try { await what(); setMessage(done); } catch (e) { setMessage(problem(e)); }
    await teamsApi.refreshRoles().catch(() => undefined);
    await onChanged();
    setVersion((v) => v + 1);
    load();
  };
  const onRole = (m: MemberView, role: TeamRole) => void change(() => teamsApi.setRole(tenantId, m.uid, role), `${m.displayName} is now ${role === 'admin' ? 'an admin' : 'a member'}.`);
  const onRemove = (m: MemberView) => {
    const leaving = m.uid === me.user.uid;
    if (!confirm(leaving ? `Leave ${data?.team.name}? Your sessions stay with the team.` : `Remove ${m.displayName} from the team? Their sessions pass to you.`)) return;
    void change(async () => {
      await teamsApi.remove(tenantId, m.uid);
      if (leaving) setTenantId(me.memberships.find((x) => x.tenantId !== tenantId)?.tenantId ?? '');
    }, leaving ? 'You left the team.' : `${m.displayName} was removed.`);
  };
  const createTeam = async (name: string) => {
    const { team } = await teamsApi.create(name);
    await teamsApi.refreshRoles();
    rememberTeam(team.tenantId);
    await onChanged();
    setTenantId(team.tenantId);
    setMessage(`${team.name} was created.`);
  };

  return (
    <main class="page">
      <h1>Team</h1>
      <TeamSwitcher id="team-page-team" memberships={me.memberships} tenantId={tenantId} onPick={setTenantId} />
      {message && <p role="status">{message}</p>}
      {data === undefined ? (tenantId ? <p role="status">Loading…</p> : null) : (
        <>
          <h2 class="team-name">{data.team.name}</h2>
          <Members members={data.members} myUid={me.user.uid} isAdmin={isAdmin} onRole={onRole} onRemove={onRemove} />
          <Retention key={`${data.team.tenantId}:${data.team.sessionRetentionDays}`} team={data.team} isAdmin={isAdmin}
            onSave={(days) => change(() => teamsApi.setRetention(tenantId, days), `Closed sessions are now kept ${days} days.`)} />
          {isAdmin && (
            <>
              <Invites tenantId={tenantId} />
              <section aria-labelledby="settings-title">
                <h2 id="settings-title">Team settings</h2>
                <ul class="settings-links"><li><a href="#/settings/jira">Jira</a></li><li><a href="#/settings/forge">Forge</a></li><li><a href="#/clients">Clients and their portal</a></li></ul>
                <NameForm key={data.team.tenantId} label="Team name" initial={data.team.name} submitLabel="Rename team"
                  onSave={(name) => change(() => teamsApi.rename(tenantId, name), 'Renamed.')} />
              </section>
              <AiSettings tenantId={tenantId} />
              <AuditLog tenantId={tenantId} version={version} />
            </>
          )}
        </>
      )}
      <section aria-labelledby="new-team-title">
        <h2 id="new-team-title">New team</h2>
        <NameForm label="Name of the new team" initial="" submitLabel="Create team" onSave={createTeam} />
      </section>
    </main>
  );
}
