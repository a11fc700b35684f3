// Who is in the room: voted marks (never the card before the reveal), online, spectators.
import type { RoomState } from '../../poll.js';

export function Participants({ state }: { state: RoomState }) {
  const valueOf = new Map((state.votes ?? []).map((v) => [v.participantId, v.value]));
  const voters = state.participants.filter((p) => p.role === 'voter');
  const voted = voters.filter((p) => p.hasVoted).length;
  return (
    <section aria-labelledby="people-title" class="panel">
      <h2 id="people-title">People <span class="muted">{state.currentIssue && !state.revealed ? `${voted} of ${voters.length} voted` : `${state.participants.length}`}</span></h2>
      <ul class="people">
        {state.participants.map((p) => (
          <li key={p.id} data-participant={p.id}>
            <span class={`presence ${p.online ? 'online' : 'offline'}`} title={p.online ? 'Online' : 'Away'} aria-label={p.online ? 'online' : 'away'} />
            <span class="name">{p.displayName}{p.id === state.me.participantId ? ' (you)' : ''}</span>
            {p.role === 'spectator' && <span class="muted"> watching</span>}
            {p.role === 'voter' && state.currentIssue && (
              state.revealed
                ? <span class="card-shown" aria-label={`voted ${valueOf.get(p.id) ?? 'nothing'}`}>{valueOf.get(p.id) ?? '–'}</span>
                : <span class={p.hasVoted ? 'voted' : 'waiting'}>{p.hasVoted ? '✓ voted' : 'thinking…'}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
