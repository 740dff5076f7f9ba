import type { ProviderEventType } from './types.js';

/**
 * The unified taxonomy every catalogue maps into: `<resource>.<past-tense action>` in lower snake case
 * (`invoice.created`, `credit_note.deleted`). Tables keyed by vendor words are Maps, not objects: the
 * words arrive in deliveries, and `constructor` or `__proto__` must find nothing.
 */
export const unifiedType = (resource: string, action: string): string => `${resource}.${action}`;

/** The resource a unified type names: `invoice` for `invoice.created`. */
export const resourceOfType = (type: string): string => type.split('.')[0] as string;

/** Already in the unified form (`order.saved_as_draft`, `list.category.created`). */
export const isUnifiedType = (name: string): boolean => /^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(name);

/** A name no table knows, kept under the vendor's own prefix: `deskera.stock_moved`, `paybook.unknown`. */
export const vendorType = (vendor: string, slug: string): string => unifiedType(vendor, slug || 'unknown');

/** Runs of anything but `a-z 0-9 _` become one underscore (after lower-casing). */
export const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_]+/g, '_');

/** The past tense of the CRUD verbs Deskera and RootFi name their events by. */
export const CRUD_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['CREATE', 'created'],
  ['UPDATE', 'updated'],
  ['DELETE', 'deleted'],
]);

/** A catalogue from its names (and descriptions, where the vendor gives them), each with its unified type. */
export function catalogue(
  entries: ReadonlyArray<readonly [name: string, description: string | null]>,
  unifiedTypeOf: (name: string) => string,
): readonly ProviderEventType[] {
  return entries.map(([name, description]) => ({ name, unifiedType: unifiedTypeOf(name), description }));
}
