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

/** Whether `held` scopes cover `needed`: ADMIN covers everything, else each needed scope must be held. */
export function coversScopes(held: readonly AccessScope[], needed: readonly AccessScope[]): boolean {
  return held.includes('ADMIN') || needed.every((s) => held.includes(s));
}

/** A list restriction ∩ another: null (no restriction) is the identity; the result may be empty (matches nothing). */
function intersectList<T>(a: readonly T[] | null | undefined, b: readonly T[] | null | undefined): readonly T[] | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a.filter((x) => b.includes(x));
}

/** `a` covers `b` when every type `b` matches, `a` matches too (`*` ⊇ `invoice.*` ⊇ `invoice.created`). */
function patternCovers(a: string, b: string): boolean {
  if (a === '*') return true;
  if (b === '*') return false;
  if (a.endsWith('.*')) return b.startsWith(a.slice(0, -1));
  return a === b;
}

/** Type patterns ∩: for each pair, the narrower one when one covers the other; disjoint pairs add nothing. */
function intersectTypes(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): readonly string[] | null {
  if (!a) return b ?? null;
  if (!b) return a;
  const out = new Set<string>();
  for (const x of a)
    for (const y of b) {
      if (patternCovers(x, y)) out.add(y);
      else if (patternCovers(y, x)) out.add(x);
    }
  return [...out];
}

/**
 * The events both filters let through (null: no restriction). What a key or token holds is intersected with what a
 * client asks for on every read and subscription, and with what a minted token asks for: the result never lets through
 * an event the held filter refuses. An empty list in the result matches nothing (matchesFilter).
 */
export function intersectFilters(held: EventFilter | null, asked: EventFilter | null): EventFilter | null {
  if (!held) return asked;
  if (!asked) return held;
  return {
    providers: intersectList(held.providers, asked.providers),
    types: intersectTypes(held.types, asked.types),
    webhookIds: intersectList(held.webhookIds, asked.webhookIds),
  };
}
