import type { StoredEvent } from './event.js';
import type { ProviderKey } from './provider-key.js';

export interface EventFilter {
  providers?: readonly ProviderKey[] | null;
  /** Exact unified types, or prefixes written `invoice.*`; `*` matches everything. */
  types?: readonly string[] | null;
  webhookIds?: readonly string[] | null;
}

/** The filter on one event: the in-memory twin of the store's SQL filter, for live events that never touch the database. */
export function matchesFilter(
  event: Pick<StoredEvent, 'provider' | 'type' | 'webhookId'>,
  filter: EventFilter | null | undefined,
): boolean {
  if (!filter) return true;
  if (filter.providers?.length && !filter.providers.includes(event.provider)) return false;
  if (filter.webhookIds?.length && (event.webhookId === null || !filter.webhookIds.includes(event.webhookId))) return false;
  if (filter.types?.length) {
    return filter.types.some((t) => (t === '*' ? true : t.endsWith('.*') ? event.type.startsWith(t.slice(0, -1)) : event.type === t));
  }
  return true;
}
