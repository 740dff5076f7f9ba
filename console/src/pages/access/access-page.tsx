import { type FormEvent, useId, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ConsoleApiKeyFragment } from '../../gql/graphql';
import { ConfirmButton } from '../../ui/confirm-button';
import { ErrorNote, isUnavailable, Outcome } from '../../ui/errors';
import { formatTime } from '../../ui/format';
import { PageTitle } from '../../ui/page-title';
import { SecretBox } from '../../ui/secret-box';
import { useAccess } from '../../viewer/access';
import { ApiKeysQuery, CreateAccessTokenMutation, CreateApiKeyMutation, RevokeApiKeyMutation } from './access-documents';
import { describeFilter, GrantFields, readGrant } from './grant-fields';

/** Tokens: 15 minutes by default, a day at most (the contract's bounds). */
const TTL_MINUTES = { default: 15, max: 24 * 60 };

export function AccessPage() {
  const { viewer, canManage } = useAccess();
  return (
    <>
      <PageTitle>Access</PageTitle>
      {viewer && (
        <p>
          This {viewer.kind === 'API_KEY' ? 'API key' : 'access token'} of <strong>{viewer.tenant.name}</strong> holds{' '}
          {viewer.scopes.join(', ')} for {describeFilter(viewer.filter)}
          {viewer.expiresAt ? `, until ${formatTime(viewer.expiresAt)}` : ''}.
        </p>
      )}
      <TokenSection />
      {canManage && <ApiKeysSection />}
    </>
  );
}

/** A short-lived token for a browser (a dashboard, a colleague), as a one-time link into this console. */
function TokenSection() {
  const id = useId();
  const [{ data, error, fetching }, mint] = useMutation(CreateAccessTokenMutation);
  const result = data?.createAccessToken;
  const token = result?.__typename === 'CreateAccessTokenSuccess' ? result.data : null;
  const link = token ? `${window.location.origin}${window.location.pathname}#token=${encodeURIComponent(token.token)}` : '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { scopes, filter } = readGrant(form);
    const minutes = Math.min(Math.max(Number(form.get('ttl')) || TTL_MINUTES.default, 1), TTL_MINUTES.max);
    void mint({ input: { scopes, filter, ttlSeconds: minutes * 60 } });
  };

  if (isUnavailable(error)) return <p className="note">This gateway has no access tokens yet.</p>;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Browser token</h2>
      <p className="muted">A token can hold at most the scopes and events of the credential you are signed in with.</p>
      <form onSubmit={submit}>
        <GrantFields id={id} defaultScopes={['SUBSCRIBE']} />
        <div className="field">
          <label htmlFor={`${id}-ttl`}>Valid for (minutes)</label>
          <input id={`${id}-ttl`} name="ttl" type="number" min={1} max={TTL_MINUTES.max} defaultValue={TTL_MINUTES.default} />
        </div>
        <div className="actions">
          <button type="submit" disabled={fetching}>
            Mint token
          </button>
        </div>
      </form>
      <Outcome error={error} result={result} />
      {token && (
        <>
          <SecretBox
            label="One-time link"
            value={link}
            note={`Opens this console signed in, until ${formatTime(token.expiresAt)}. Anyone with it can.`}
          />
          <SecretBox label="Token" value={token.token} note="Send as Authorization: Bearer <token>." />
        </>
      )}
    </section>
  );
}

function ApiKeysSection() {
  const id = useId();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const context = useMemo(() => ({ additionalTypenames: ['ApiKey'] }), []);
  const [{ data, error }, refetch] = useQuery({ query: ApiKeysQuery, variables: { includeRevoked }, context });
  const [created, create] = useMutation(CreateApiKeyMutation);
  const createdResult = created.data?.createApiKey;
  const newKey = createdResult?.__typename === 'CreateApiKeySuccess' ? createdResult.data : null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const { scopes, filter } = readGrant(form);
    const expires = String(form.get('expires') ?? '');
    const result = await create({
      input: {
        name: String(form.get('name') ?? '').trim(),
        scopes,
        filter,
        ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
      },
    });
    if (result.data?.createApiKey.__typename === 'CreateApiKeySuccess') {
      formElement.reset();
      refetch({ requestPolicy: 'network-only' });
    }
  };

  if (isUnavailable(error)) return <p className="note">This gateway has no API key management yet.</p>;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>API keys</h2>
      <ErrorNote error={error} />
      <label className="check">
        <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
        Show revoked keys
      </label>
      {data && (
        <table>
          <caption className="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Events</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.apiKeys.map((key) => (
              <ApiKeyRow key={key.id} apiKey={key} />
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} aria-labelledby={`${id}-new`}>
        <h3 id={`${id}-new`}>New API key</h3>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" required maxLength={200} />
        </div>
        <GrantFields id={id} defaultScopes={['READ', 'SUBSCRIBE']} />
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires (optional)</label>
          <input id={`${id}-expires`} name="expires" type="datetime-local" />
        </div>
        <div className="actions">
          <button type="submit" disabled={created.fetching}>
            Create key
          </button>
        </div>
      </form>
      <Outcome error={created.error} result={createdResult} />
      {newKey && <SecretBox label={`Key “${newKey.apiKey.name}”`} value={newKey.key} note="Shown once: store it now." />}
    </section>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ConsoleApiKeyFragment }) {
  const [{ data, error, fetching }, revoke] = useMutation(RevokeApiKeyMutation);
  return (
    <tr className={apiKey.revokedAt ? 'revoked' : undefined}>
      <th scope="row">{apiKey.name}</th>
      <td>{apiKey.scopes.join(', ')}</td>
      <td>{describeFilter(apiKey.filter)}</td>
      <td>{formatTime(apiKey.createdAt)}</td>
      <td>{formatTime(apiKey.expiresAt)}</td>
      <td>{formatTime(apiKey.lastUsedAt)}</td>
      <td>
        {apiKey.revokedAt ? (
          <span className="muted">revoked {formatTime(apiKey.revokedAt)}</span>
        ) : (
          <ConfirmButton
            question={`Revoke ${apiKey.name}? Its open connections close within seconds.`}
            onConfirm={() => revoke({ id: apiKey.id })}
            disabled={fetching}
          >
            Revoke
          </ConfirmButton>
        )}
        <Outcome error={error} result={data?.revokeApiKey} />
      </td>
    </tr>
  );
}
