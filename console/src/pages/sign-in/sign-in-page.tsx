import { type FormEvent, useId, useState } from 'react';
import { type Credential, normalizeSecret } from '../../session';
import { PageTitle } from '../../ui/page-title';

/**
 * Paste an API key (kept in this tab's sessionStorage only), or open a one-time link whose `#token=…` signs in by
 * itself. Nothing is checked here: the gateway answers the first request, and a refused credential shows there.
 */
export function SignInPage({ onSignIn, notice }: { onSignIn(credential: Credential): void; notice?: string }) {
  const id = useId();
  const [invalid, setInvalid] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = normalizeSecret(String(new FormData(event.currentTarget).get('key') ?? ''));
    if (value === null) return setInvalid(true);
    onSignIn({ kind: 'api-key', value });
  };
  return (
    <main className="sign-in">
      <PageTitle>Sign in to hookgraph</PageTitle>
      {notice && (
        <p className="note" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-key`}>API key</label>
          <input
            id={`${id}-key`}
            name="key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required
            aria-invalid={invalid}
            aria-describedby={`${id}-hint`}
            onChange={() => setInvalid(false)}
          />
          <small id={`${id}-hint`}>
            {invalid ? 'That does not look like a key: paste it without spaces. ' : ''}
            Kept in this tab only (sessionStorage) and sent as <code>Authorization: Bearer …</code>. A development gateway prints one when
            it first starts; <code>hookgraph keys create</code> makes more.
          </small>
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p className="muted">Got a link with a token? Open it: it signs this tab in and the token leaves the address bar.</p>
    </main>
  );
}
