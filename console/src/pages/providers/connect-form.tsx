import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';
import { Outcome } from '../../ui/errors';
import { VENDOR_FORMS } from './credential-forms';

const ConnectProviderMutation = graphql(`
  mutation ConsoleConnectProvider($input: ConnectProviderInput!) {
    connectProvider(input: $input) {
      __typename
      ... on ConnectProviderSuccess {
        data {
          provider
          baseUrl
          createdAt
          updatedAt
        }
      }
      ... on Error {
        message
      }
      ... on ValidationError {
        field
      }
    }
  }
`);

/**
 * Credentials for one vendor, sent once to connectProvider (which proves them with a real vendor call) and then
 * dropped: the form is reset on success and the gateway never sends them back.
 */
export function ConnectForm({
  provider,
  defaultBaseUrl,
  onDone,
}: {
  provider: ProviderKey;
  defaultBaseUrl: string | null;
  onDone(): void;
}) {
  const id = useId();
  const vendor = VENDOR_FORMS[provider];
  const [variant, setVariant] = useState(0);
  const [{ data, error, fetching }, connect] = useMutation(ConnectProviderMutation);
  const chosen = vendor.forms[variant] ?? vendor.forms[0]!;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const values = new FormData(formElement);
    const value = (name: string) => String(values.get(name) ?? '').trim();
    const baseUrl = value('baseUrl');
    const result = await connect(
      { input: { provider, credentials: chosen.toInput(value), ...(baseUrl ? { baseUrl } : {}) } },
      { additionalTypenames: ['ProviderConnection', 'Provider'] },
    );
    if (result.data?.connectProvider.__typename === 'ConnectProviderSuccess') {
      formElement.reset();
      onDone();
    }
  };

  return (
    <form className="card-form" onSubmit={submit} aria-label={`Connect ${provider.toLowerCase()}`}>
      {vendor.forms.length > 1 && (
        <fieldset>
          <legend>Sign in with</legend>
          {vendor.forms.map((f, i) => (
            <label key={f.label} className="check">
              <input type="radio" name={`${id}-variant`} checked={i === variant} onChange={() => setVariant(i)} />
              {f.label}
            </label>
          ))}
        </fieldset>
      )}
      {chosen.fields.map((field) => (
        <div className="field" key={`${variant}-${field.name}`}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          <input
            id={`${id}-${field.name}`}
            name={field.name}
            type={field.secret ? 'password' : 'text'}
            autoComplete="off"
            spellCheck={false}
            required
            maxLength={4096}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor={`${id}-baseUrl`}>Base URL{defaultBaseUrl ? ' (optional)' : ''}</label>
        <input
          id={`${id}-baseUrl`}
          name="baseUrl"
          type="url"
          required={!defaultBaseUrl}
          placeholder={defaultBaseUrl ?? vendor.baseUrlExample}
          aria-describedby={`${id}-baseUrl-hint`}
        />
        <small id={`${id}-baseUrl-hint`}>
          The vendor origin before the API path{defaultBaseUrl ? `; defaults to ${defaultBaseUrl}` : ''}.
        </small>
      </div>
      <div className="actions">
        <button type="submit" disabled={fetching}>
          {fetching ? 'Checking with the vendor…' : 'Connect'}
        </button>
      </div>
      <Outcome error={error} result={data?.connectProvider} />
    </form>
  );
}
