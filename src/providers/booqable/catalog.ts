import type { ProviderEventType } from '../types.js';

/** The 33 events of the seed, then the 12 added since (VENDORS.md §2.5). */
const SEED = [
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
const LATER = [
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

/** Names that are not yet `<noun>.<past tense>`; `saved_as_concept` is the old name of `saved_as_draft`. */
const RENAMED: Record<string, string> = {
  'cart.completed_checkout': 'cart.checkout_completed',
  'order.saved_as_concept': 'order.saved_as_draft',
  'company.destroyed': 'company.deleted',
};

export function booqableUnifiedType(event: string): string {
  const renamed = RENAMED[event];
  if (renamed) return renamed;
  const clean = event.toLowerCase().replace(/[^a-z0-9_.]+/g, '_');
  return /^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(clean) ? clean : `booqable.${clean.replace(/\./g, '_') || 'unknown'}`;
}

export const booqableEventTypes: readonly ProviderEventType[] = [...SEED, ...LATER].map((name) => ({
  name,
  unifiedType: booqableUnifiedType(name),
  description: name === 'order.saved_as_concept' ? 'Alias of order.saved_as_draft (the status was renamed from concept to draft)' : null,
}));
