import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { navigate } from '../router.js';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await api.login(email, password);
    onSignedIn();
    navigate('/');
  });
  return (
    <main class="card">
      <h1>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <Field id="email" label="Email" type="email" autoComplete="username" value={email} onInput={setEmail} />
        <Field id="password" label="Password" type="password" autoComplete="current-password" value={password} onInput={setPassword} />
        <FormError message={error?.message} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p>New to Reckon? <a href="#/signup">Create an account</a></p>
    </main>
  );
}
