import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProviderKey } from '../../gql/graphql';
import { Outcome } from '../../ui/errors';
import { isMultiline, isSecret, labelFor, maxLengthOf, type DescribedField } from './credential-fields';
import { vendorForm } from './credential-forms';

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

/** Prefixes the credential fields' names in the form: a vendor's field named like `baseUrl` stays its own. */
const CREDENTIAL = 'credentials.';

/**
 * Credentials for one vendor, sent once to connectProvider (which proves them with a real vendor call) and then
 * dropped: the form is reset on success and the gateway never sends them back. Its fields are the schema's
 * (credential-forms.ts): a vendor with a @oneOf credentials input offers its branches as a choice.
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
  const vendor = vendorForm(provider);
  const [variant, setVariant] = useState(0);
  const [{ data, error, fetching }, connect] = useMutation(ConnectProviderMutation);
  const chosen = vendor.branches[variant] ?? vendor.branches[0];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!chosen) return;
    const formElement = event.currentTarget;
    const values = new FormData(formElement);
    const value = (name: string) => {
      const v = values.get(name);
      return typeof v === 'string' ? v : '';
    };
    const baseUrl = value('baseUrl').trim();
    const credentials = vendor.toInput(chosen, (name) => value(`${CREDENTIAL}${name}`));
    const result = await connect(
      { input: { provider, credentials, ...(baseUrl ? { baseUrl } : {}) } },
      { additionalTypenames: ['ProviderConnection', 'Provider'] },
    );
    if (result.data?.connectProvider.__typename === 'ConnectProviderSuccess') {
      // Secrets are not shown again, not even while the card closes.
      formElement.reset();
      onDone();
    }
  };

  if (!chosen) {
    // Not reached with the schema the console was built from: its type check refuses a vendor without a form.
    return (
      <p className="error" role="alert">
        This console cannot enter {provider.toLowerCase()} credentials: connect it through the API.
      </p>
    );
  }

  // What the chosen branch is (its input's description), else what the choice is about.
  const help = `${id}-choice-help`;
  const helpText = chosen.description ?? vendor.choice?.description ?? null;
  return (
    <form className="card-form" onSubmit={submit} aria-label={`Connect ${provider.toLowerCase()}`}>
      {vendor.branches.length > 1 && (
        <fieldset aria-describedby={helpText ? help : undefined}>
          <legend>Sign in with</legend>
          {vendor.branches.map((branch, i) => (
            <label key={branch.key ?? branch.label} className="check">
              <input type="radio" name={`${id}-branch`} value={branch.key ?? ''} checked={i === variant} onChange={() => setVariant(i)} />
              {branch.label}
            </label>
          ))}
          {helpText && (
            <p id={help} className="muted small">
              {helpText}
            </p>
          )}
        </fieldset>
      )}
      {chosen.fields.map((field) => (
        <CredentialInput key={`${chosen.key}-${field.name}`} field={field} id={`${id}-${chosen.key ?? ''}-${field.name}`} />
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

/**
 * One credential: a label from its name, its schema description as help, masked unless it is an identifier or an
 * address, and never filled in by the browser. A PEM key is a textarea (it spans lines); it is cleared with the rest.
 */
function CredentialInput({ field, id }: { field: DescribedField; id: string }) {
  const help = field.description ? `${id}-help` : undefined;
  const secret = isSecret(field);
  const common = {
    id,
    name: `${CREDENTIAL}${field.name}`,
    required: field.required,
    maxLength: maxLengthOf(field),
    spellCheck: false,
    autoCapitalize: 'off',
    'aria-describedby': help,
  } as const;
  return (
    <div className="field">
      <label htmlFor={id}>
        {labelFor(field.name)}
        {field.required ? '' : ' (optional)'}
      </label>
      {isMultiline(field) ? (
        <textarea {...common} rows={6} autoComplete="off" />
      ) : (
        // new-password: Chrome fills saved passwords into type=password fields despite autocomplete=off.
        <input {...common} type={secret ? 'password' : 'text'} autoComplete={secret ? 'new-password' : 'off'} />
      )}
      {help && <small id={help}>{field.description}</small>}
    </div>
  );
}
