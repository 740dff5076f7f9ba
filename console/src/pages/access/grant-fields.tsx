import type { AccessScope, EventFilter } from '../../gql/graphql';
import { PROVIDER_KEYS, PROVIDER_NAMES } from '../../providers';
import { parseTypes } from '../../events/event-filter';

export const SCOPES = [
  { scope: 'ADMIN', hint: 'everything' },
  { scope: 'READ', hint: 'every query' },
  { scope: 'SUBSCRIBE', hint: 'live events and the event log' },
] as const satisfies readonly { scope: AccessScope; hint: string }[];

/** Scopes and an optional event filter: what a new API key or access token may do and see. */
export function GrantFields({ id, defaultScopes }: { id: string; defaultScopes: readonly AccessScope[] }) {
  return (
    <>
      <fieldset>
        <legend>Scopes</legend>
        {SCOPES.map(({ scope, hint }) => (
          <label key={scope} className="check">
            <input type="checkbox" name={`scope-${scope}`} defaultChecked={defaultScopes.includes(scope)} />
            {scope} <span className="muted">({hint})</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Only these providers (none checked: all)</legend>
        {PROVIDER_KEYS.map((key) => (
          <label key={key} className="check">
            <input type="checkbox" name={`provider-${key}`} />
            {PROVIDER_NAMES[key]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-types`}>Only these unified types (empty: all)</label>
        <input id={`${id}-types`} name="types" placeholder="invoice.*, contact.created" />
      </div>
    </>
  );
}

export function readGrant(form: FormData): { scopes: AccessScope[]; filter: EventFilter | null } {
  const scopes = SCOPES.map((s) => s.scope).filter((scope) => form.has(`scope-${scope}`));
  const providers = PROVIDER_KEYS.filter((key) => form.has(`provider-${key}`));
  const types = parseTypes(String(form.get('types') ?? ''));
  const filter: EventFilter = {};
  if (providers.length > 0) filter.providers = providers;
  if (types.length > 0) filter.types = types;
  return { scopes, filter: Object.keys(filter).length > 0 ? filter : null };
}

export function describeFilter(
  filter:
    | { providers?: readonly string[] | null; types?: readonly string[] | null; webhookIds?: readonly string[] | null }
    | null
    | undefined,
): string {
  if (!filter) return 'all events';
  const parts = [
    filter.providers?.length ? filter.providers.join(', ') : null,
    filter.types?.length ? filter.types.join(', ') : null,
    filter.webhookIds?.length ? `${filter.webhookIds.length} webhook(s)` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join(' · ') : 'all events';
}
