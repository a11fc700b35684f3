import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { navigate } from '../router.js';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.login(email, password);
      onSignedIn();
      navigate('/');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Reckon could not be reached. Check your connection.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="card">
      <h1>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <Field id="email" label="Email" type="email" autoComplete="username" value={email} onInput={setEmail} />
        <Field id="password" label="Password" type="password" autoComplete="current-password" value={password} onInput={setPassword} />
        <FormError message={error} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p>New to Reckon? <a href="#/signup">Create an account</a></p>
    </main>
  );
}
