// How long the team keeps closed sessions: shown to every member, changed by admins (PATCH
// /api/teams/:id with sessionRetentionDays; the hourly retention job deletes older ones).
import { useState } from 'preact/hooks';
import type { TeamView } from '../../../../shared/schemas/teams.js';
import { RETENTION_DAYS } from '../../../../shared/domain/retention.js';
import { FormError } from '../field.js';
import { useSubmit } from '../use-submit.js';

export function Retention({ team, isAdmin, onSave }: { team: TeamView; isAdmin: boolean; onSave: (days: number) => Promise<void> }) {
  const [days, setDays] = useState(String(team.sessionRetentionDays));
  const { submit, error, busy } = useSubmit(() => onSave(Number(days)));
  const message = error?.fieldMessage('sessionRetentionDays') ?? error?.message;
  return (
    <section aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p>Closed sessions are deleted {team.sessionRetentionDays} days after their last change, with their issues, votes and participants.</p>
      {isAdmin && (
        <form onSubmit={submit} aria-label="Set retention">
          <div class="field">
            <label for="retention-days">Keep closed sessions for (days, {RETENTION_DAYS.min}–{RETENTION_DAYS.max})</label>
            <input id="retention-days" name="retention-days" type="number" min={RETENTION_DAYS.min} max={RETENTION_DAYS.max} step={1} value={days} required
              onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
          </div>
          <FormError message={message} />
          <button type="submit" disabled={busy}>Save retention</button>
        </form>
      )}
    </section>
  );
}
