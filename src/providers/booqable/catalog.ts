import { catalogue, isUnifiedType, slug, vendorType } from '../taxonomy.js';

/** The 33 events the seed lists for `data[attributes][events]`, in its order. */
const SEED_EVENTS = [
  'customer.created',
  'customer.updated',
  'customer.archived',
  'product_group.created',
  'product_group.updated',
  'product_group.archived',
  'product.created',
  'invoice.created',
  'invoice.finalized',
  'invoice.updated',
  'invoice.revised',
  'invoice.archived',
  'contract.created',
  'contract.signed',
  'contract.confirmed',
  'contract.updated',
  'contract.archived',
  'quote.created',
  'quote.signed',
  'quote.confirmed',
  'quote.updated',
  'quote.archived',
  'order.updated',
  'order.saved_as_concept',
  'order.reserved',
  'order.started',
  'order.stopped',
  'payment.completed',
  'cart.completed_checkout',
  'app.installed',
  'app.configured',
  'app.plan_changed',
  'app.uninstalled',
] as const;

/** The 12 events the current docs added since the seed; none were removed (VENDORS.md §2.5). */
const LATER_EVENTS = [
  'bundle.archived',
  'bundle.created',
  'bundle.updated',
  'bundle_item.archived',
  'bundle_item.created',
  'bundle_item.updated',
  'company.destroyed',
  'company.updated',
  'order.archived',
  'order.canceled',
  'order.reverted',
  'order.saved_as_draft',
] as const;

/**
 * Booqable names are already `<noun>.<past tense>` except these. `order.saved_as_concept` and
 * `order.saved_as_draft` are aliases: the order status was renamed from concept to draft and
 * endpoints still accept the old name (VENDORS.md §2.5), so both map to one unified type.
 */
const RENAMED: ReadonlyMap<string, string> = new Map([
  ['cart.completed_checkout', 'cart.checkout_completed'],
  ['order.saved_as_concept', 'order.saved_as_draft'],
  ['company.destroyed', 'company.deleted'],
]);

const DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['order.saved_as_concept', 'Alias of order.saved_as_draft (the order status was renamed from concept to draft)'],
  ['order.saved_as_draft', 'An order was saved as a draft (formerly order.saved_as_concept)'],
  ['order.reverted', 'An order was reverted to an earlier status'],
  ['cart.completed_checkout', 'A shop cart completed checkout and became an order'],
  ['company.destroyed', 'The company account was deleted'],
  ['app.installed', 'An app was installed (payload: the app installation)'],
  ['app.configured', 'An installed app was configured (payload: the app installation)'],
  ['app.plan_changed', "An installed app's plan changed (payload: the app installation)"],
  ['app.uninstalled', 'An app was uninstalled (payload: the app installation)'],
]);

/**
 * Unified type for a Booqable event name. Unknown names (Booqable adds events over time) keep
 * their own lower-cased name when it already has the `<noun>.<action>` form. The tables are Maps:
 * a delivered `constructor` must not find Object's (a function reached the writer thread).
 */
export function booqableUnifiedType(event: string): string {
  const renamed = RENAMED.get(event);
  if (renamed) return renamed;
  const lower = event.trim().toLowerCase();
  if (isUnifiedType(lower)) return lower;
  return vendorType('booqable', slug(lower).replace(/^_+|_+$/g, ''));
}

/** Every name Booqable accepts in `events`: 33 from the seed + 12 later = 45. */
export const booqableEventTypes = catalogue(
  [...SEED_EVENTS, ...LATER_EVENTS].map((name) => [name, DESCRIPTIONS.get(name) ?? null] as const),
  booqableUnifiedType,
);

/**
 * Catalogue names that are the same event under two names; a subscription to one receives the other.
 * Null prototype: it is indexed by names from outside, and `constructor` must find nothing.
 */
export const booqableEventAliases: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    'order.saved_as_concept': 'order.saved_as_draft',
    'order.saved_as_draft': 'order.saved_as_concept',
  }),
);
