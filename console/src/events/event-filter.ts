import type { EventFilter, ProviderKey } from '../gql/graphql';
import { isProviderKey } from '../providers';

/**
 * The filter of the live and history pages, kept in the route's query (`?provider=BOOQABLE&type=invoice.*&webhook=…`)
 * so that a reload, a bookmark or a shared link shows the same events.
 */
export interface FilterState {
  providers: ProviderKey[];
  types: string[];
  webhookIds: string[];
}

/** Bounds on what a hand-edited URL can put in a filter. */
const MAX_VALUES = 20;
const MAX_LENGTH = 200;

export function filterFromParams(params: URLSearchParams): FilterState {
  const values = (name: string) =>
    [...new Set(params.getAll(name).map((v) => v.trim()))].filter((v) => v.length > 0 && v.length <= MAX_LENGTH).slice(0, MAX_VALUES);
  return {
    providers: values('provider').filter(isProviderKey),
    types: values('type'),
    webhookIds: values('webhook'),
  };
}

export function filterToParams(filter: FilterState, params = new URLSearchParams()): URLSearchParams {
  for (const name of ['provider', 'type', 'webhook']) params.delete(name);
  for (const p of filter.providers) params.append('provider', p);
  for (const t of filter.types) params.append('type', t);
  for (const w of filter.webhookIds) params.append('webhook', w);
  return params;
}

/** The GraphQL EventFilter, or null for "everything". */
export function toEventFilter(filter: FilterState): EventFilter | null {
  const result: EventFilter = {};
  if (filter.providers.length > 0) result.providers = filter.providers;
  if (filter.types.length > 0) result.types = filter.types;
  if (filter.webhookIds.length > 0) result.webhookIds = filter.webhookIds;
  return Object.keys(result).length > 0 ? result : null;
}

/** A stable text form, to tell whether stored live state belongs to the current filter. */
export function filterKey(filter: FilterState): string {
  return filterToParams(filter).toString();
}

/** Types typed as a comma- or space-separated list: `invoice.*, contact.created`. */
export function parseTypes(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((t) => t.length > 0 && t.length <= MAX_LENGTH))].slice(0, MAX_VALUES);
}
