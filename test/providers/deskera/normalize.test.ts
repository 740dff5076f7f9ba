import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import type { NormalizedEvent } from '../../../src/domain/event.js';
import { deskeraProvider } from '../../../src/providers/deskera/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/deskera/${name}`, import.meta.url));
const delivery = (raw: Buffer, events: string[] = ['CREATE_INVOICE'], tag: string | null = null) => ({
  headers: { 'content-type': 'application/json' },
  rawBody: raw,
  body: JSON.parse(raw.toString()) as unknown,
  webhook: { id: 'w1', events, externalIds: ['1'] },
  tag,
});

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** What reaches the writer thread must be plain strings: a function there was a DataCloneError (503 forever). */
function expectPlainNames(events: readonly NormalizedEvent[]) {
  for (const e of events) {
    expect(typeof e.type).toBe('string');
    expect(e.type).not.toMatch(/function|native code|\[object/);
    if (e.resource) expect(typeof e.resource.type).toBe('string');
    expect(() => structuredClone([e.type, e.providerEventType, e.resource])).not.toThrow();
  }
}

describe('Deskera deliveries', () => {
  it('maps the event name in the body to its unified type and resource', () => {
    const [e] = deskeraProvider.normalize(delivery(fixture('create-invoice.json')));
    expect(e).toMatchObject({
      type: 'invoice.created',
      providerEventType: 'CREATE_INVOICE',
      resource: { type: 'invoice', id: '5f1e0c2a9b' },
      test: false,
      vendorEventId: null,
    });
    expect(e?.occurredAt?.toISOString()).toBe('2026-03-04T10:20:30.000Z');
  });

  it("falls back to the webhook's only subscribed event when the body names none", () => {
    const [e] = deskeraProvider.normalize(delivery(fixture('no-event-name.json'), ['STOCK_IN']));
    expect(e).toMatchObject({ type: 'stock.increased', providerEventType: 'STOCK_IN', resource: { type: 'stock', id: 'p-77' } });
  });

  it('reads the event from the delivery URL tag when the body names none and the webhook has several events', () => {
    const events = ['CREATE_INVOICE', 'STOCK_IN', 'STOCK_OUT'];
    const [e] = deskeraProvider.normalize(delivery(fixture('no-event-name.json'), events, 'STOCK_OUT'));
    expect(e).toMatchObject({ type: 'stock.decreased', providerEventType: 'STOCK_OUT', resource: { type: 'stock', id: 'p-77' } });
    const [untagged] = deskeraProvider.normalize(delivery(fixture('no-event-name.json'), events));
    expect(untagged).toMatchObject({ type: 'deskera.unknown', providerEventType: 'unknown' });
  });

  it('prefers the event the body names over the tag', () => {
    const [e] = deskeraProvider.normalize(delivery(fixture('create-invoice.json'), ['CREATE_INVOICE', 'STOCK_IN'], 'STOCK_IN'));
    expect(e).toMatchObject({ type: 'invoice.created', providerEventType: 'CREATE_INVOICE' });
  });

  it('ignores a tag outside the catalogue, which hookgraph never registers', () => {
    for (const tag of ['toString', '__proto__', 'ARCHIVE_WIDGET']) {
      const [e] = deskeraProvider.normalize(delivery(fixture('no-event-name.json'), ['STOCK_IN'], tag));
      expect(e).toMatchObject({ type: 'stock.increased', providerEventType: 'STOCK_IN' });
      const [several] = deskeraProvider.normalize(delivery(fixture('no-event-name.json'), ['STOCK_IN', 'STOCK_OUT'], tag));
      expect(several?.providerEventType).toBe('unknown');
    }
  });

  it('keeps an unknown event name instead of dropping it', () => {
    const [e] = deskeraProvider.normalize(delivery(Buffer.from('{"eventType":"ARCHIVE_WIDGET","data":{"id":"x"}}')));
    expect(e?.providerEventType).toBe('ARCHIVE_WIDGET');
    expect(e?.type).toBe('deskera.archive_widget');
  });

  it('refuses a body that is not an object with a 400', () => {
    expect(() => deskeraProvider.normalize(delivery(Buffer.from('[1,2]')))).toThrow(DeliveryError);
  });

  it.each(PROTOTYPE_NAMES)('stores %s, alone or as the noun of CREATE_…, as an unknown type with its raw name', (name) => {
    for (const raw of [name, `CREATE_${name}`, `DELETE_${name}`]) {
      const events = deskeraProvider.normalize(delivery(Buffer.from(JSON.stringify({ eventType: raw, data: { id: 'x' } }))));
      expectPlainNames(events);
      expect(events[0]?.providerEventType).toBe(raw);
      expect(events[0]?.type).toBe(`deskera.${raw.toLowerCase()}`);
    }
  });
});
