import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { booqableEventTypes, booqableUnifiedType } from '../../../src/providers/booqable/catalog.js';

/** The event names the seed lists for `data[attributes][events]` (its create body table). */
function seedEvents(): string[] {
  const seed = readFileSync(new URL('../../fixtures/seeds/booqable-webhook-endpoints.md', import.meta.url), 'utf8');
  const list = /`data\[attributes\]\[events\]`.*?One or more from: (.*?)'\./.exec(seed)?.[1] ?? '';
  return [...list.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1] ?? '');
}

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
];

describe('Booqable event catalogue', () => {
  const names = booqableEventTypes.map((e) => e.name);

  it("holds the seed's 33 events and the 12 the docs added since: 45 unique names", () => {
    const seed = seedEvents();
    expect(seed).toHaveLength(33);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    expect([...names].sort()).toEqual([...seed, ...LATER].sort());
  });

  it('gives every name a unified <noun>.<past tense> type', () => {
    for (const e of booqableEventTypes) expect(e.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
    const unified = Object.fromEntries(booqableEventTypes.map((e) => [e.name, e.unifiedType]));
    expect(unified).toMatchObject({
      'customer.created': 'customer.created',
      'invoice.finalized': 'invoice.finalized',
      'order.reserved': 'order.reserved',
      'order.started': 'order.started',
      'order.stopped': 'order.stopped',
      'cart.completed_checkout': 'cart.checkout_completed',
      'company.destroyed': 'company.deleted',
      'app.plan_changed': 'app.plan_changed',
    });
  });

  it('treats order.saved_as_concept and order.saved_as_draft as aliases of one unified type', () => {
    const concept = booqableEventTypes.find((e) => e.name === 'order.saved_as_concept');
    const draft = booqableEventTypes.find((e) => e.name === 'order.saved_as_draft');
    expect(concept?.unifiedType).toBe('order.saved_as_draft');
    expect(draft?.unifiedType).toBe('order.saved_as_draft');
    expect(concept?.description).toMatch(/alias/i);
  });

  it('lower-cases unknown names and wraps ones that are not <noun>.<action>', () => {
    expect(booqableUnifiedType('Stock_Item.Moved')).toBe('stock_item.moved');
    expect(booqableUnifiedType('ping')).toBe('booqable.ping');
    expect(booqableUnifiedType('')).toBe('booqable.unknown');
  });
});
