// Who is in the room: voted marks (never the card before the reveal), online, spectators, and a
// "guest" tag on everyone who joined by code without an account, so a guest cannot pass for a
// member. What the dot and the card say is real (visually hidden) text: screen readers skip an
// aria-label on a plain span.
import type { RoomState } from '../../poll.js';

type Person = RoomState['participants'][number];

function RevealedCard({ value }: { value: string | undefined }) {
  if (value === undefined) return <span class="card-shown"><span aria-hidden="true">–</span><span class="visually-hidden">no card</span></span>;
  return <span class="card-shown"><span class="visually-hidden">voted </span>{value}</span>;
}

function Entry({ p, state, valueOf }: { p: Person; state: RoomState; valueOf: Map<string, string> }) {
  return (
    <li data-participant={p.id}>
      <span class={`presence ${p.online ? 'online' : 'offline'}`} title={p.online ? 'Online' : 'Away'} aria-hidden="true" />
      <span class="name">
        {p.displayName}{p.id === state.me.participantId ? ' (you)' : ''}
        {p.kind === 'guest' && <span class="tag"> guest</span>}
        <span class="visually-hidden">{p.online ? ', online' : ', away'}</span>
      </span>
      {p.role === 'spectator' && <span class="muted"> watching</span>}
      {p.role === 'voter' && state.currentIssue && (
        state.revealed
          ? <RevealedCard value={valueOf.get(p.id)} />
          : <span class={p.hasVoted ? 'voted' : 'waiting'}>{p.hasVoted ? '✓ voted' : 'thinking…'}</span>
      )}
    </li>
  );
}

export function Participants({ state }: { state: RoomState }) {
  const valueOf = new Map((state.votes ?? []).map((v) => [v.participantId, v.value]));
  const voters = state.participants.filter((p) => p.role === 'voter');
  const voted = voters.filter((p) => p.hasVoted).length;
  return (
    <section aria-labelledby="people-title" class="panel">
      <h2 id="people-title">People <span class="muted">{state.currentIssue && !state.revealed ? `${voted} of ${voters.length} voted` : `${state.participants.length}`}</span></h2>
      <ul class="people">
        {state.participants.map((p) => <Entry key={p.id} p={p} state={state} valueOf={valueOf} />)}
      </ul>
    </section>
  );
}
