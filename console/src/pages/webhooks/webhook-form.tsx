import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleWebhookFragment, ProviderKey } from '../../gql/graphql';
import { Catalogue, type CatalogueEntry } from '../../ui/catalogue';
import { ErrorNote, Outcome } from '../../ui/errors';
import { useAccess } from '../../viewer/access';
import { draftFieldOf, draftOf, type OptionsDraft, optionsInputOf, problemsOf, settingsKindOf } from './vendor-options';
import { VendorSettings } from './vendor-settings';
import { PAUSABLE } from './webhook-fields';

const CreateWebhookMutation = graphql(`
  mutation ConsoleCreateWebhook($input: CreateWebhookInput!, $admin: Boolean! = true) {
    createWebhook(input: $input) {
      __typename
      ... on CreateWebhookSuccess {
        data {
          ...ConsoleWebhook
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

const UpdateWebhookMutation = graphql(`
  mutation ConsoleUpdateWebhook($input: UpdateWebhookInput!, $admin: Boolean! = true) {
    updateWebhook(input: $input) {
      __typename
      ... on UpdateWebhookSuccess {
        data {
          ...ConsoleWebhook
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
 * The settings an edit starts from. Read when the form opens, not with the list: a page of 50 webhooks with their
 * header and property lists costs more than the gateway's query limit (HOOKGRAPH_GRAPHQL_MAX_COST), and header values
 * (secrets of the user's own) then reach the page only when someone edits them.
 */
const StoredOptionsQuery = graphql(`
  query ConsoleWebhookOptions($id: ID!, $admin: Boolean!) {
    webhook(id: $id) {
      id
      options @include(if: $admin) {
        errorsEmail
        headers {
          name
          value
        }
        properties {
          name
          value
        }
        idUser
        delaySeconds
        environment
      }
    }
  }
`);

export interface ProviderOption {
  key: ProviderKey;
  name: string;
  eventTypes: readonly CatalogueEntry[];
}

/** Vendors whose delivery format can be chosen (CreateWebhookInput.payloadVersion). */
const PAYLOAD_VERSIONS: Partial<Record<ProviderKey, { value: string; label: string }[]>> = {
  BOOQABLE: [
    { value: '4', label: 'v4 (JSON)' },
    { value: '1', label: 'v1 (form-encoded)' },
  ],
  // Each has its own event names (the catalogue marks the V3 ones); the vendor default is V1.
  PAYBOOK: [
    { value: '1', label: 'V1 webhook' },
    { value: '3', label: 'V3 subscription' },
  ],
};

interface FormProps {
  providers: readonly ProviderOption[];
  webhook?: ConsoleWebhookFragment;
  onDone(): void;
}

/**
 * Create (given `providers`, the connected ones) or edit (given `webhook`): a name, the events, picked from the
 * provider's catalogue, and the vendor settings where the provider has some. An edit of those first reads the stored
 * settings (ADMIN only), asked of the gateway each time the form opens so an edit starts from what is stored now.
 */
export function WebhookForm(props: FormProps) {
  const { webhook } = props;
  const { canManage } = useAccess();
  const withSettings = webhook !== undefined && settingsKindOf(webhook.provider.key, webhook.payloadVersion) !== null;
  const [{ data, error }] = useQuery({
    query: StoredOptionsQuery,
    variables: { id: webhook?.id ?? '', admin: canManage },
    pause: !withSettings,
    requestPolicy: 'network-only',
  });
  const options = data?.webhook?.options;
  const stored = useMemo(() => (data ? draftOf(options) : undefined), [data, options]);
  if (!withSettings) return <FormBody {...props} />;
  if (!stored) {
    return (
      <div className="panel">
        {error ? <ErrorNote error={error} /> : <p role="status">Reading the vendor settings…</p>}
        <button type="button" className="secondary" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    );
  }
  return <FormBody {...props} stored={stored} />;
}

/** The form itself; `stored`: the settings of the webhook being edited, which an update is compared with. */
function FormBody({ providers, webhook, onDone, stored }: FormProps & { stored?: OptionsDraft }) {
  const id = useId();
  const [providerKey, setProviderKey] = useState<ProviderKey | undefined>(webhook?.provider.key ?? providers[0]?.key);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(webhook?.events ?? []));
  const [payloadVersion, setPayloadVersion] = useState('');
  const [draft, setDraft] = useState(() => stored ?? draftOf(null));
  // Problems show as the value is typed (a message that appeared only when the field is left would move the submit
  // button between the press and the release of a click on it); a refused submit adds a summary and moves the focus.
  const [submitted, setSubmitted] = useState(false);
  const [refusals, setRefusals] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const [created, create] = useMutation(CreateWebhookMutation);
  const [updated, update] = useMutation(UpdateWebhookMutation);
  const provider = providers.find((p) => p.key === providerKey);
  const versions = providerKey ? PAYLOAD_VERSIONS[providerKey] : undefined;
  const kind = settingsKindOf(providerKey, webhook ? webhook.payloadVersion : payloadVersion);
  const problems = problemsOf(draft, kind);
  const answer = webhook ? updated.data?.updateWebhook : created.data?.createWebhook;
  const refused = answer?.__typename === 'ValidationError' ? draftFieldOf(answer.field) : null;
  const busy = created.fetching || updated.fetching;

  // After a submit refused here, the first marked field takes the focus (its message is read with it).
  useEffect(() => {
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>('.vendor-settings [aria-invalid="true"]')?.focus();
  }, [refusals]);

  const toggle = (name: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!providerKey || selected.size === 0) return;
    if (problems.size > 0) {
      setSubmitted(true);
      setRefusals((n) => n + 1);
      return;
    }
    setSubmitted(false);
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const events = [...selected];
    if (webhook) {
      const enabled = form.get('enabled');
      const wasEnabled = webhook.status !== 'DISABLED';
      const options = optionsInputOf(draft, kind, stored ?? draftOf(null));
      const result = await update({
        input: {
          id: webhook.id,
          events,
          ...(name && name !== webhook.name ? { name } : {}),
          ...(PAUSABLE.has(providerKey) && (enabled !== null) !== wasEnabled ? { enabled: enabled !== null } : {}),
          ...(options ? { options } : {}),
        },
      });
      if (result.data?.updateWebhook.__typename === 'UpdateWebhookSuccess') onDone();
    } else {
      const options = optionsInputOf(draft, kind);
      const result = await create({
        input: {
          provider: providerKey,
          events,
          ...(name ? { name } : {}),
          ...(payloadVersion ? { payloadVersion } : {}),
          ...(options ? { options } : {}),
        },
      });
      if (result.data?.createWebhook.__typename === 'CreateWebhookSuccess') onDone();
    }
  };

  return (
    // noValidate: the vendor settings are checked here, with the message beside the field, not in a browser bubble.
    <form ref={formRef} className="panel" onSubmit={submit} noValidate aria-label={webhook ? `Edit ${webhook.name}` : 'New webhook'}>
      {!webhook && <h2>New webhook</h2>}
      <div className="row">
        {!webhook && (
          <div className="field">
            <label htmlFor={`${id}-provider`}>Provider</label>
            <select
              id={`${id}-provider`}
              value={providerKey ?? ''}
              onChange={(e) => {
                setProviderKey(e.target.value as ProviderKey);
                setSelected(new Set());
                setPayloadVersion('');
                setDraft(draftOf(null));
                setSubmitted(false);
              }}
            >
              {providers.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>Name{webhook ? '' : ' (optional)'}</label>
          <input id={`${id}-name`} name="name" defaultValue={webhook?.name ?? ''} maxLength={200} />
        </div>
        {!webhook && versions && (
          <div className="field">
            <label htmlFor={`${id}-version`}>Payload format</label>
            <select id={`${id}-version`} value={payloadVersion} onChange={(e) => setPayloadVersion(e.target.value)}>
              <option value="">Vendor default</option>
              {versions.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label}
                </option>
              ))}
            </select>
          </div>
        )}
        {webhook && providerKey && PAUSABLE.has(providerKey) && (
          <label className="check">
            <input type="checkbox" name="enabled" defaultChecked={webhook.status !== 'DISABLED'} />
            Delivery enabled
          </label>
        )}
      </div>
      {provider && (
        <fieldset className="picker">
          <legend>Events</legend>
          <Catalogue entries={provider.eventTypes} selected={selected} onToggle={toggle} label={`${provider.name} events`} />
        </fieldset>
      )}
      {kind && provider && (
        <VendorSettings
          kind={kind}
          providerName={provider.name}
          draft={draft}
          onChange={setDraft}
          problems={problems}
          refused={refused}
          outcomeId={`${id}-outcome`}
        />
      )}
      {submitted && problems.size > 0 && (
        <p className="error" role="alert">
          Nothing was sent: correct the marked vendor settings first.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy || selected.size === 0}>
          {busy
            ? 'Saving at the vendor…'
            : webhook
              ? 'Save changes'
              : `Create with ${selected.size} event${selected.size === 1 ? '' : 's'}`}
        </button>
        {webhook && (
          <button type="button" className="secondary" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
      <div id={`${id}-outcome`}>
        <Outcome error={webhook ? updated.error : created.error} result={answer} />
      </div>
    </form>
  );
}
