import { type FormEvent, useId } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { PROVIDER_KEYS, PROVIDER_NAMES } from '../providers';
import { useAccess } from '../viewer/access';
import { type FilterState, parseTypes } from './event-filter';

const FilterWebhooksQuery = graphql(`
  query FilterWebhooks {
    webhooks(first: 100) {
      edges {
        node {
          id
          name
          provider {
            key
          }
        }
      }
    }
  }
`);

/**
 * Provider, unified type and webhook, applied on submit (a subscription restarts when its filter changes, so not on
 * every keystroke). The form is uncontrolled: its `key` is the applied filter, so a new filter resets it.
 */
export function EventFilterForm({ value, onApply }: { value: FilterState; onApply(next: FilterState): void }) {
  const id = useId();
  const { canRead } = useAccess();
  // A SUBSCRIBE-only credential cannot list webhooks; the filter then offers providers and types only.
  const [{ data }] = useQuery({ query: FilterWebhooksQuery, pause: !canRead });
  const webhooks = data?.webhooks.edges.map((e) => e.node) ?? [];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const webhook = String(form.get('webhook') ?? '');
    onApply({
      providers: PROVIDER_KEYS.filter((key) => form.has(`provider-${key}`)),
      types: parseTypes(String(form.get('types') ?? '')),
      webhookIds: webhook ? [webhook] : [],
    });
  };

  return (
    <form className="filter" onSubmit={submit} aria-label="Event filter">
      <fieldset>
        <legend>Providers</legend>
        {PROVIDER_KEYS.map((key) => (
          <label key={key} className="check">
            <input type="checkbox" name={`provider-${key}`} defaultChecked={value.providers.includes(key)} />
            {PROVIDER_NAMES[key]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-types`}>Unified types</label>
        <input
          id={`${id}-types`}
          name="types"
          defaultValue={value.types.join(', ')}
          placeholder="invoice.*, contact.created"
          aria-describedby={`${id}-types-hint`}
        />
        <small id={`${id}-types-hint`}>
          Comma-separated; <code>invoice.*</code> matches every invoice event.
        </small>
      </div>
      {(webhooks.length > 0 || value.webhookIds.length > 0) && (
        <div className="field">
          <label htmlFor={`${id}-webhook`}>Webhook</label>
          <select id={`${id}-webhook`} name="webhook" defaultValue={value.webhookIds[0] ?? ''}>
            <option value="">Any webhook</option>
            {value.webhookIds
              .filter((w) => !webhooks.some((h) => h.id === w))
              .map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({PROVIDER_NAMES[w.provider.key]})
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="actions">
        <button type="submit">Apply filter</button>
        <button type="button" className="secondary" onClick={() => onApply({ providers: [], types: [], webhookIds: [] })}>
          Clear
        </button>
      </div>
    </form>
  );
}
