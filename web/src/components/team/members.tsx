// The team's members: role and last activity for everyone; admins change roles and remove
// members; everyone may leave.
import type { MemberView, TeamRole } from '../../../../shared/schemas/teams.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'not yet');

interface Props {
  members: MemberView[]; myUid: string; isAdmin: boolean;
  onRole: (m: MemberView, role: TeamRole) => void; onRemove: (m: MemberView) => void;
}

export function Members({ members, myUid, isAdmin, onRole, onRemove }: Props) {
  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <ul class="members">
        {members.map((m) => (
          <li key={m.uid} class="panel member" data-testid="member">
            <div>
              <strong>{m.displayName}</strong>{m.uid === myUid && <span class="muted"> (you)</span>}
              {m.email && <span class="muted"> · {m.email}</span>}
              <div class="muted">Last active in a room: {when(m.lastActiveAt)} · joined {new Date(m.joinedAt).toLocaleDateString()}</div>
            </div>
            <div class="member-actions">
              {isAdmin ? (
                <select aria-label={`Role of ${m.displayName}`} value={m.role} onChange={(e) => onRole(m, (e.target as HTMLSelectElement).value as TeamRole)}>
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                </select>
              ) : <span class="role">{m.role}</span>}
              {m.uid === myUid
                ? <button type="button" class="secondary" onClick={() => onRemove(m)}>Leave team</button>
                : isAdmin && <button type="button" class="danger" onClick={() => onRemove(m)}>Remove {m.displayName}</button>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
