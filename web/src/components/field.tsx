// A labelled input with its error message announced to screen readers.
interface FieldProps {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value: string;
  autoComplete?: string;
  error?: string;
  hint?: string;
  onInput: (value: string) => void;
}

export function Field({ id, label, type = 'text', value, autoComplete, error, hint, onInput }: FieldProps) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={id} type={type as 'text'} value={value} autoComplete={autoComplete} aria-invalid={error ? 'true' : undefined} aria-describedby={described}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)} required />
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`} role="alert">{error}</p>}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  return message ? <p class="form-error" role="alert">{message}</p> : null;
}
