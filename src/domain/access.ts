import { ValidationError } from './errors.js';
import type { EventFilter } from './event-filter.js';
import type { Tenant } from './tenant.js';

/**
 * What a key or token may do. ADMIN does everything; READ runs queries; SUBSCRIBE opens `Subscription.events`
 * and reads events. Written once; the GraphQL enum is built from this object.
 */
export const AccessScope = {
  ADMIN: 'ADMIN',
  READ: 'READ',
  SUBSCRIBE: 'SUBSCRIBE',
} as const;
export type AccessScope = (typeof AccessScope)[keyof typeof AccessScope];
export const ACCESS_SCOPES: readonly AccessScope[] = Object.values(AccessScope);

/** Who is calling: an API key, or a short-lived token minted from one (`keyId` is then its parent key's id). */
export interface Viewer {
  tenant: Tenant;
  keyId: string;
  kind: 'key' | 'token';
  scopes: readonly AccessScope[];
  /** Every read and subscription of this viewer is intersected with it; null: the tenant's whole log. */
  filter: EventFilter | null;
  expiresAt: Date | null;
}

/**
 * `read,subscribe` (any case, spaces allowed around the commas) → the scopes, each once, in ACCESS_SCOPES order.
 * An empty list or entry, or an unknown name, is refused: a typo must not mint a key that can do less (or more)
 * than meant.
 */
export function parseScopes(text: string): AccessScope[] {
  const expected = `expected a comma list of ${ACCESS_SCOPES.map((s) => s.toLowerCase()).join(', ')}`;
  const names = text.split(',').map((s) => s.trim());
  const found = new Set<AccessScope>();
  for (const name of names) {
    if (name === '') throw new ValidationError(`empty scope in ${JSON.stringify(text.slice(0, 100))}; ${expected}`, 'scopes');
    const scope = ACCESS_SCOPES.find((s) => s === name.toUpperCase());
    if (!scope) throw new ValidationError(`unknown scope ${JSON.stringify(name.slice(0, 40))}; ${expected}`, 'scopes');
    found.add(scope);
  }
  return ACCESS_SCOPES.filter((s) => found.has(s));
}
