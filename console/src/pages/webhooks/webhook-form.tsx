import { type FormEvent, useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleWebhookFragment, ProviderKey } from '../../gql/graphql';
import { Catalogue, type CatalogueEntry } from '../../ui/catalogue';
import { Outcome } from '../../ui/errors';
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

/**
 * Create (given `providers`, the connected ones) or edit (given `webhook`): a name and the events, picked from the
 * provider's catalogue.
 */
export function WebhookForm({
  providers,
  webhook,
  onDone,
}: {
  providers: readonly ProviderOption[];
  webhook?: ConsoleWebhookFragment;
  onDone(): void;
}) {
  const id = useId();
  const [providerKey, setProviderKey] = useState<ProviderKey | undefined>(webhook?.provider.key ?? providers[0]?.key);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(webhook?.events ?? []));
  const [created, create] = useMutation(CreateWebhookMutation);
  const [updated, update] = useMutation(UpdateWebhookMutation);
  const provider = providers.find((p) => p.key === providerKey);
  const versions = providerKey ? PAYLOAD_VERSIONS[providerKey] : undefined;
  const busy = created.fetching || updated.fetching;

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
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const events = [...selected];
    if (webhook) {
      const enabled = form.get('enabled');
      const wasEnabled = webhook.status !== 'DISABLED';
      const result = await update({
        input: {
          id: webhook.id,
          events,
          ...(name && name !== webhook.name ? { name } : {}),
          ...(PAUSABLE.has(providerKey) && (enabled !== null) !== wasEnabled ? { enabled: enabled !== null } : {}),
        },
      });
      if (result.data?.updateWebhook.__typename === 'UpdateWebhookSuccess') onDone();
    } else {
      const payloadVersion = String(form.get('payloadVersion') ?? '');
      const result = await create({
        input: { provider: providerKey, events, ...(name ? { name } : {}), ...(payloadVersion ? { payloadVersion } : {}) },
      });
      if (result.data?.createWebhook.__typename === 'CreateWebhookSuccess') onDone();
    }
  };

  return (
    <form className="panel" onSubmit={submit} aria-label={webhook ? `Edit ${webhook.name}` : 'New webhook'}>
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
            <select id={`${id}-version`} name="payloadVersion" defaultValue="">
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
      <Outcome
        error={webhook ? updated.error : created.error}
        result={webhook ? updated.data?.updateWebhook : created.data?.createWebhook}
      />
    </form>
  );
}
