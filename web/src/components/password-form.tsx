// The Account page's password change (POST /api/auth/password): other sessions are signed out.
import { useState } from 'preact/hooks';
import { teamsApi } from '../api.js';
import { Field, FormError } from './field.js';
import { useSubmit } from './use-submit.js';

export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const { submit, error, busy } = useSubmit(async () => {
    setDone(false);
    await teamsApi.changePassword(current, next);
    setCurrent('');
    setNext('');
    setDone(true);
  });
  const wrongCurrent = error?.code === 'invalid_credentials' ? 'The current password is not right.' : undefined;
  return (
    <form onSubmit={submit} aria-label="Change password" noValidate>
      <h2>Change password</h2>
      <Field id="current-password" label="Current password" type="password" autoComplete="current-password" value={current} onInput={setCurrent} error={wrongCurrent ?? error?.fieldMessage('currentPassword')} />
      <Field id="new-password" label="New password" type="password" autoComplete="new-password" value={next} onInput={setNext} hint="At least 8 characters. Your other signed-in devices are signed out." error={error?.fieldMessage('newPassword')} />
      <FormError message={error && !wrongCurrent && !error.issues.length ? error.message : undefined} />
      {done && <p role="status">Your password was changed.</p>}
      <button type="submit" disabled={busy}>Change password</button>
    </form>
  );
}
