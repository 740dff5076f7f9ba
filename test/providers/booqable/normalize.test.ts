import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import { parseBody } from '../../../src/ingest/parse-body.js';
import { booqableEventTypes } from '../../../src/providers/booqable/catalog.js';
import { booqableProvider } from '../../../src/providers/booqable/index.js';

const raw = (name: string) => readFileSync(new URL(`../../fixtures/booqable/${name}`, import.meta.url));
const normalize = (file: string, contentType: string) => {
  const rawBody = raw(file);
  return booqableProvider.normalize({
    headers: { 'content-type': contentType },
    rawBody,
    body: parseBody(contentType, rawBody),
    webhook: { id: 'w', events: [], externalIds: [] },
  });
};

describe('Booqable deliveries', () => {
  it('reads a v1 form-encoded delivery with nested data', () => {
    const [e] = normalize('v1-customer-created.txt', 'application/x-www-form-urlencoded');
    expect(e).toMatchObject({
      type: 'customer.created',
      providerEventType: 'customer.created',
      resource: { type: 'customer', id: 'c0ffee00-1111-4222-8333-444455556666' },
      vendorEventId: '550e8400-e29b-41d4-a716-446655440000',
    });
    expect(e?.occurredAt?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    expect((e!.payload as { data: { name: string } }).data.name).toBe('Jane Doe');
  });

  it('reads a v4 JSON delivery with its JSON:API resource type', () => {
    const [e] = normalize('v4-product-group-updated.json', 'application/json');
    expect(e).toMatchObject({
      type: 'product_group.updated',
      resource: { type: 'product_group', id: '8b32f593-0000-4000-8000-000000000001' },
      vendorEventId: '9f1c2d3e-0000-4000-8000-00000000000a',
    });
  });

  it('maps renamed events to their unified names and keeps unknown ones', () => {
    const body = { id: 'x', event: 'order.saved_as_concept', resource_type: 'orders', data: { id: 'o1' } };
    const rawBody = Buffer.from(JSON.stringify(body));
    const norm = (b: unknown) =>
      booqableProvider.normalize({ headers: {}, rawBody, body: b, webhook: { id: 'w', events: [], externalIds: [] } })[0];
    expect(norm(body)?.type).toBe('order.saved_as_draft');
    expect(norm({ ...body, event: 'cart.completed_checkout' })?.type).toBe('cart.checkout_completed');
    expect(norm({ ...body, event: 'widget.exploded' })).toMatchObject({ type: 'widget.exploded', providerEventType: 'widget.exploded' });
  });

  it('refuses a body without an event with a 400', () => {
    expect(() =>
      booqableProvider.normalize({
        headers: {},
        rawBody: Buffer.from('{}'),
        body: { id: 'x' },
        webhook: { id: 'w', events: [], externalIds: [] },
      }),
    ).toThrow(DeliveryError);
  });

  it("lists the seed's 33 events plus the 12 added since, with unified names", () => {
    const seed = readFileSync(new URL('../../fixtures/seeds/booqable-webhook-endpoints.md', import.meta.url), 'utf8');
    const seedEvents =
      /One or more from: (.*?)'\./
        .exec(seed)?.[1]
        ?.match(/`([a-z_.]+)`/g)
        ?.map((s) => s.slice(1, -1)) ?? [];
    expect(seedEvents).toHaveLength(33);
    const names = booqableEventTypes.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(seedEvents));
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    for (const e of booqableEventTypes) expect(e.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
  });
});
