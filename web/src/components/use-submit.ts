// A form's submit: prevents the page load, marks the form busy, and keeps the server's error
// (field messages included) for the form to show.
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';

export function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'network', 'Reckon could not be reached. Check your connection.'));
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}
