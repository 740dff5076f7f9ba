import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import type { NormalizedEvent } from '../../../src/domain/event.js';
import { parseBody } from '../../../src/ingest/parse-body.js';
import { booqableProvider } from '../../../src/providers/booqable/index.js';
import { booqableSignsDeliveries } from '../../../src/providers/booqable/verify.js';
import { booqableTime } from '../../../src/providers/booqable/wire.js';
import { parseTime } from '../../../src/providers/time.js';

const parseBooqableTime = (value: unknown) => parseTime(value, booqableTime);

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Runs a fixture through the ingest route's body parser (qs for forms) and the normalizer, as ingest does. */
function normalizeFixture(file: string, contentType: string, events: string[] = []) {
  const rawBody = readFileSync(new URL(`../../fixtures/booqable/${file}`, import.meta.url));
  return booqableProvider.normalize({
    headers: { 'content-type': contentType },
    rawBody,
    body: parseBody(contentType, rawBody),
    webhook: { id: 'w1', events, externalIds: ['e1'] },
  });
}

const normalizeBody = (body: unknown, events: string[] = []) =>
  booqableProvider.normalize({
    headers: { 'content-type': JSON_TYPE },
    rawBody: Buffer.from(JSON.stringify(body)),
    body,
    webhook: { id: 'w1', events, externalIds: ['e1'] },
  });

/** What reaches the writer thread must be plain strings: a function there was a DataCloneError (503 forever). */
function expectPlainNames(events: readonly NormalizedEvent[]) {
  for (const e of events) {
    expect(typeof e.type).toBe('string');
    expect(e.type).not.toMatch(/function|native code|\[object/);
    if (e.resource) expect(typeof e.resource.type).toBe('string');
    expect(() => structuredClone([e.type, e.providerEventType, e.resource])).not.toThrow();
  }
}

describe('Booqable delivery normalization', () => {
  it('reads a v1 form-encoded delivery with nested data, naming the resource from its v1 class', () => {
    const events = normalizeFixture('v1-customer-created.txt', FORM);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      type: 'customer.created',
      providerEventType: 'customer.created',
      resource: { type: 'customer', id: 'c0ffee00-1111-4222-8333-444455556666' },
      test: false,
      vendorEventId: '550e8400-e29b-41d4-a716-446655440000',
      dedupKey: null,
    });
    expect(e?.occurredAt?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    expect(e?.payload).toMatchObject({ object: 'Customer', data: { name: 'Jane Doe', email: 'jane@example.com' } });
  });

  it('snake-cases a two-word v1 class name and keeps every form leaf a string', () => {
    const [e] = normalizeFixture('v1-product-group-archived.txt', FORM);
    expect(e).toMatchObject({
      type: 'product_group.archived',
      providerEventType: 'product_group.archived',
      resource: { type: 'product_group', id: '1f0b5b8e-2c4d-4e6f-8a9b-0c1d2e3f4a5b' },
      vendorEventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    });
    expect(e?.occurredAt?.toISOString()).toBe('2020-05-19T04:30:06.000Z');
    expect(e?.payload).toMatchObject({ data: { archived: 'true', base_price_in_cents: '2500', tag_list: ['camping', 'outdoor'] } });
  });

  it('maps the old order.saved_as_concept to order.saved_as_draft and reads a Rails-style UTC timestamp', () => {
    const [e] = normalizeFixture('v1-order-saved-as-concept.txt', FORM);
    expect(e).toMatchObject({
      type: 'order.saved_as_draft',
      providerEventType: 'order.saved_as_concept',
      resource: { type: 'order', id: 'a8098c1a-f86e-11da-bd1a-00112444be1e' },
      vendorEventId: '3b241101-e2bb-4255-8caf-4136c566a962',
    });
    expect(e?.occurredAt?.toISOString()).toBe('2021-01-01T09:30:00.000Z');
    expect(e?.payload).toMatchObject({ data: { lines: [{ title: 'Tent 4p', quantity: '2' }, { title: 'Lantern' }] } });
  });

  it('reads a v4 JSON delivery, singularizing its JSON:API resource_type', () => {
    const [e] = normalizeFixture('v4-product-group-updated.json', JSON_TYPE);
    expect(e).toMatchObject({
      type: 'product_group.updated',
      providerEventType: 'product_group.updated',
      resource: { type: 'product_group', id: '8b32f593-0000-4000-8000-000000000001' },
      vendorEventId: '9f1c2d3e-0000-4000-8000-00000000000a',
      test: false,
      dedupKey: null,
    });
    expect(e?.occurredAt?.toISOString()).toBe('2026-02-01T12:00:00.000Z');
  });

  it('reads v4 invoices and orders with microsecond timestamps', () => {
    const [invoice] = normalizeFixture('v4-invoice-finalized.json', JSON_TYPE);
    expect(invoice).toMatchObject({
      type: 'invoice.finalized',
      resource: { type: 'invoice', id: '0d5c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b' },
      vendorEventId: 'e1f2a3b4-0000-4000-8000-0000000000f1',
    });
    expect(invoice?.occurredAt?.toISOString()).toBe('2026-03-04T10:11:12.123Z');
    const [order] = normalizeFixture('v4-order-saved-as-draft.json', JSON_TYPE);
    expect(order).toMatchObject({
      type: 'order.saved_as_draft',
      providerEventType: 'order.saved_as_draft',
      resource: { type: 'order', id: '8b32f593-809b-4c05-8607-487da64f4265' },
    });
    expect(order?.occurredAt?.toISOString()).toBe('2018-06-25T17:38:00.000Z');
  });

  it('renames cart.completed_checkout and company.destroyed to past-tense unified types', () => {
    const base = { id: 'n1', created_at: '2026-01-01T00:00:00Z', data: { id: 'r1' } };
    expect(normalizeBody({ ...base, event: 'cart.completed_checkout', resource_type: 'carts' })[0]).toMatchObject({
      type: 'cart.checkout_completed',
      providerEventType: 'cart.completed_checkout',
      resource: { type: 'cart', id: 'r1' },
    });
    expect(normalizeBody({ ...base, event: 'company.destroyed', resource_type: 'companies' })[0]).toMatchObject({
      type: 'company.deleted',
      resource: { type: 'company', id: 'r1' },
    });
  });

  it('keeps an unknown event under its own name instead of dropping it', () => {
    const [e] = normalizeFixture('v4-unknown-event.json', JSON_TYPE);
    expect(e).toMatchObject({
      type: 'stock_item.teleported',
      providerEventType: 'stock_item.teleported',
      resource: { type: 'stock_item', id: 'd4e5f6a7-0000-4000-8000-0000000000e2' },
      vendorEventId: 'c3d4e5f6-0000-4000-8000-0000000000e1',
    });
    expect(normalizeBody({ id: 'n', event: 'Ping' })[0]).toMatchObject({ type: 'booqable.ping', providerEventType: 'Ping' });
  });

  it('reads a bare app installation as the one app event the webhook subscribes to, without an event id', () => {
    const [e] = normalizeFixture('app-installation.json', JSON_TYPE, ['app.configured']);
    expect(e).toMatchObject({
      type: 'app.configured',
      providerEventType: 'app.configured',
      resource: { type: 'app_installation', id: 'b7e1c2d3-0000-4000-8000-0000000000a1' },
      vendorEventId: null,
    });
    expect(e?.occurredAt?.toISOString()).toBe('2026-01-10T08:05:00.000Z');
    expect(normalizeFixture('app-installation.json', JSON_TYPE, ['app.installed', 'app.uninstalled'])[0]?.providerEventType).toBe(
      'app.unknown',
    );
  });

  it('refuses bodies it cannot read with a DeliveryError 400', () => {
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return null;
    };
    for (const fn of [
      () => normalizeFixture('no-event.json', JSON_TYPE),
      () => normalizeBody([{ event: 'customer.created' }]),
      () => normalizeBody('customer.created'),
      () => normalizeBody({ id: 'n', event: 'customer.created', data: 'not-an-object' }),
    ]) {
      const error = refused(fn);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ status: 400 });
    }
  });

  it('leaves occurredAt null for a missing or unreadable created_at', () => {
    expect(normalizeBody({ id: 'n', event: 'customer.created', data: { id: 1 } })[0]).toMatchObject({
      occurredAt: null,
      resource: { type: 'customer', id: '1' },
    });
    expect(parseBooqableTime('yesterday')).toBeNull();
    expect(parseBooqableTime('2021-13-45T00:00:00Z')).toBeNull();
    expect(parseBooqableTime('2021-01-01T02:00:00+0200')?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
  });

  it('reads plain UTC timestamps to the millisecond, and refuses impossible ones', () => {
    expect(parseBooqableTime('2021-06-30T23:59:58.123Z')?.getTime()).toBe(Date.UTC(2021, 5, 30, 23, 59, 58, 123));
    expect(parseBooqableTime('2021-06-30T23:59:58Z')?.getTime()).toBe(Date.UTC(2021, 5, 30, 23, 59, 58));
    expect(parseBooqableTime('2021-06-30T25:00:00Z')).toBeNull();
  });

  it('names each resource and event type by its own name, however many distinct ones pass through', () => {
    // More distinct names than the normalizer remembers, seen twice each: its cache starts over on the way.
    for (const round of [1, 2]) {
      for (let i = 0; i < 700; i++) {
        const [e] = normalizeBody({ id: `n${round}-${i}`, event: `x${i}_item.created`, resource_type: `x${i}_items`, data: { id: i } });
        expect(e).toMatchObject({ type: `x${i}_item.created`, resource: { type: `x${i}_item`, id: String(i) } });
      }
    }
  });

  it.each(PROTOTYPE_NAMES)('stores the event name %s, v4 JSON or v1 form, as an unknown type with its raw name', (name) => {
    const v4 = normalizeBody({ id: 'n1', created_at: '2026-01-01T00:00:00Z', event: name, resource_type: name, data: { id: 'x' } });
    const form = Buffer.from(`id=n2&event=${encodeURIComponent(name)}&object=${encodeURIComponent(name)}&data[id]=x`);
    const v1 = booqableProvider.normalize({
      headers: { 'content-type': FORM },
      rawBody: form,
      body: parseBody(FORM, form),
      webhook: { id: 'w1', events: [], externalIds: ['e1'] },
    });
    for (const events of [v4, v1]) {
      expectPlainNames(events);
      expect(events[0]?.providerEventType).toBe(name);
      expect(events[0]?.type).toMatch(/^booqable\./);
    }
  });
});

describe('Booqable delivery authentication', () => {
  it('has no signature to verify: the deliveryUrl token is the only check', () => {
    expect(booqableSignsDeliveries).toBe(false);
    expect(booqableProvider.capabilities.signedDeliveries).toBe(false);
    expect(booqableProvider.verifyDelivery).toBeUndefined();
  });
});
