import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { navigate } from '../router.js';

type Errors = Partial<Record<'email' | 'password' | 'displayName' | 'form', string>>;

export function SignUp({ onSignedIn }: { onSignedIn: () => void }) {
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    // Quick checks for immediate feedback; the server validates everything and names bad fields.
    const quick: Errors = {};
    if (!displayName.trim()) quick.displayName = 'Enter a name.';
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) quick.email = 'Enter a valid email address.';
    if ([...password].length < 8) quick.password = 'Use at least 8 characters.';
    if (Object.keys(quick).length > 0) { setErrors(quick); return; }
    setBusy(true);
    setErrors({});
    try {
      await api.register(email, password, displayName);
      onSignedIn();
      navigate('/');
    } catch (err) {
      if (err instanceof ApiError) setErrors({ email: err.fieldMessage('email'), password: err.fieldMessage('password'), displayName: err.fieldMessage('displayName'), form: err.issues.length ? undefined : err.message });
      else setErrors({ form: 'Reckon could not be reached. Check your connection.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="card">
      <h1>Create your account</h1>
      <form onSubmit={submit} noValidate>
        <Field id="displayName" label="Your name" autoComplete="name" value={displayName} error={errors.displayName} onInput={setDisplayName} />
        <Field id="email" label="Email" type="email" autoComplete="username" value={email} error={errors.email} onInput={setEmail} />
        <Field id="password" label="Password" type="password" autoComplete="new-password" value={password} error={errors.password} hint="At least 8 characters. A few unrelated words work well." onInput={setPassword} />
        <FormError message={errors.form} />
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>Already have an account? <a href="#/signin">Sign in</a></p>
    </main>
  );
}
