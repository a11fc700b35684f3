// The page a join link opens: a name, voter or spectator, and in.
import { useState } from 'preact/hooks';
import { api, type Role } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { navigate } from '../router.js';

export function Join({ code, suggestedName }: { code: string; suggestedName?: string }) {
  const [joinCode, setJoinCode] = useState(code);
  const [name, setName] = useState(suggestedName ?? '');
  const [role, setRole] = useState<Role>('voter');
  const { submit, error, busy } = useSubmit(async () => {
    const joined = await api.joinAsGuest(joinCode, name, role);
    navigate(`/s/${joined.session.id}`);
  });
  return (
    <main class="card">
      <h1>Join a session</h1>
      <form onSubmit={submit}>
        <FormError message={error && !error.issues.length ? error.message : undefined} />
        <Field id="join-code" label="Join code" value={joinCode} onInput={setJoinCode} error={error?.fieldMessage('joinCode')} />
        <Field id="display-name" label="Your name" value={name} autoComplete="nickname" onInput={setName} error={error?.fieldMessage('displayName')} hint="Shown to the others in the room." />
        <fieldset class="decks">
          <legend>Join as</legend>
          <label class="choice"><input type="radio" name="role" checked={role === 'voter'} onChange={() => setRole('voter')} /> Voter</label>
          <label class="choice"><input type="radio" name="role" checked={role === 'spectator'} onChange={() => setRole('spectator')} /> Spectator (watch without voting)</label>
        </fieldset>
        <button type="submit" disabled={busy}>Join</button>
      </form>
    </main>
  );
}
