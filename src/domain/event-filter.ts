import type { StoredEvent } from './event.js';
import type { ProviderKey } from './provider-key.js';

export interface EventFilter {
  providers?: readonly ProviderKey[] | null;
  /** Exact unified types, or prefixes written `invoice.*`; `*` matches everything. */
  types?: readonly string[] | null;
  webhookIds?: readonly string[] | null;
}

/**
 * The filter on one event: the in-memory twin of the store's SQL filter, for live events that never touch the database.
 * A list that is null or absent does not restrict; an empty list matches nothing (what an intersection of two
 * disjoint filters leaves: see domain/access.ts). GraphQL input turns a client's `[]` into null before it gets here.
 */
export function matchesFilter(
  event: Pick<StoredEvent, 'provider' | 'type' | 'webhookId'>,
  filter: EventFilter | null | undefined,
): boolean {
  if (!filter) return true;
  if (filter.providers && !filter.providers.includes(event.provider)) return false;
  if (filter.webhookIds && (event.webhookId === null || !filter.webhookIds.includes(event.webhookId))) return false;
  if (filter.types) return filter.types.some((t) => typeMatches(t, event.type));
  return true;
}

/** Whether a unified type matches one filter entry: exact, a prefix written `invoice.*`, or `*`. */
export function typeMatches(pattern: string, type: string): boolean {
  return pattern === '*' ? true : pattern.endsWith('.*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}
