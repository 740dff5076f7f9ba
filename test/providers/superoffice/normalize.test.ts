import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import type { NormalizedEvent } from '../../../src/domain/event.js';
import { superofficeEventTypes } from '../../../src/providers/superoffice/catalog.js';
import { superofficeProvider } from '../../../src/providers/superoffice/index.js';
import { verifySuperofficeDelivery } from '../../../src/providers/superoffice/verify.js';

const load = (name: string) => readFileSync(new URL(`../../fixtures/superoffice/${name}`, import.meta.url));
const normalize = (file: string, headers: Record<string, string> = {}) => {
  const rawBody = load(file);
  return superofficeProvider.normalize({
    headers,
    rawBody,
    body: JSON.parse(rawBody.toString()),
    webhook: { id: 'w', events: [], externalIds: [] },
  });
};

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

describe('SuperOffice deliveries', () => {
  it('verifies X-SuperOffice-Signature on the raw bytes (test vector from VENDORS.md)', () => {
    const body = Buffer.from('{"EventId":"88f91933-edce-4c1a-8ded-ade8e2f72434","Event":"test"}');
    const signature = 'WCL/JloUMJ0VSFNoydwHTNOjuh9QnRNSDri42s7Dv0w=';
    expect(verifySuperofficeDelivery({ 'x-superoffice-signature': signature }, body, 'Something Super Secret')).toBe(true);
    expect(verifySuperofficeDelivery({ 'x-superoffice-signature': signature }, Buffer.from(`${body} `), 'Something Super Secret')).toBe(
      false,
    );
    expect(verifySuperofficeDelivery({ 'x-superoffice-signature': 'short' }, body, 'Something Super Secret')).toBe(false);
    expect(verifySuperofficeDelivery({}, body, 'Something Super Secret')).toBe(false);
  });

  it('reads an entity event: unified type, resource, 7-digit timestamp, and a dedup key that survives a new EventId', () => {
    const [e] = normalize('contact-changed.json', { 'x-superoffice-event': 'contact.changed' });
    expect(e).toMatchObject({
      type: 'contact.updated',
      providerEventType: 'contact.changed',
      resource: { type: 'contact', id: '18' },
      test: false,
      vendorEventId: '88f91933-edce-4c1a-8ded-ade8e2f72434',
    });
    expect(e?.occurredAt?.toISOString()).toBe('2025-05-14T10:48:07.891Z');
    expect(e?.dedupKey).toBe('contact:18:contact.changed:2025-05-14T10:48:07.8912039Z');
  });

  it('reads the test ping as a test event', () => {
    const [e] = normalize('test-ping.json', { 'x-hook-test': 'true' });
    expect(e).toMatchObject({ type: 'webhook.tested', test: true, providerEventType: 'test', dedupKey: null });
  });

  it('reads a state event by its header name as a hookgraph event about the vendor hook', () => {
    const [e] = normalize('state-stopped.json', { 'x-superoffice-event': 'webhook12.stopped' });
    expect(e).toMatchObject({
      type: 'hookgraph.webhook.stopped',
      providerEventType: 'webhook12.stopped',
      resource: { type: 'webhook', id: '12' },
      test: false,
      dedupKey: 'webhook:12:webhook12.stopped:2025-05-14T11:00:00.0000000Z',
    });
  });

  it.each([
    ['webhook7.errors', 'webhook.errors', 'hookgraph.webhook.failing'],
    ['webhook7.started', 'webhook.started', 'hookgraph.webhook.started'],
    ['Webhook7.Stopped', 'webhook.stopped', 'hookgraph.webhook.stopped'],
  ])('reads state event %s, by its header or its body alone', (headerEvent, bodyEvent, type) => {
    const body = { EventId: 'e', Timestamp: '2025-05-14T11:00:00.0000000Z', Changes: [], Event: bodyEvent, PrimaryKey: 7 };
    const read = (headers: Record<string, string>) =>
      superofficeProvider.normalize({
        headers,
        rawBody: Buffer.from(JSON.stringify(body)),
        body,
        webhook: { id: 'w', events: [], externalIds: ['7'] },
      })[0];
    expect(read({ 'x-superoffice-event': headerEvent })).toMatchObject({ type, resource: { type: 'webhook', id: '7' } });
    expect(read({})).toMatchObject({ type, providerEventType: bodyEvent, resource: { type: 'webhook', id: '7' } });
  });

  it('does not take an entity event named like a hook for a state event', () => {
    const body = { EventId: 'e', Event: 'webhook.stopped', Entity: 'contact', PrimaryKey: 3, Timestamp: '2025-05-14T11:00:00.0000000Z' };
    const [e] = superofficeProvider.normalize({
      headers: {},
      rawBody: Buffer.from(''),
      body,
      webhook: { id: 'w', events: [], externalIds: [] },
    });
    expect(e?.type).not.toMatch(/^hookgraph\./);
    expect(e?.resource).toMatchObject({ type: 'contact', id: '3' });
  });

  it('keeps unknown events and refuses a body without Event', () => {
    const body = { EventId: 'x', Event: 'y_table.created', Entity: 'y_table', PrimaryKey: 3, Timestamp: '2025-09-16T14:22:14.0000000Z' };
    const [e] = superofficeProvider.normalize({
      headers: {},
      rawBody: Buffer.from(''),
      body,
      webhook: { id: 'w', events: [], externalIds: [] },
    });
    expect(e).toMatchObject({ type: 'y_table.created', providerEventType: 'y_table.created' });
    expect(() =>
      superofficeProvider.normalize({
        headers: {},
        rawBody: Buffer.from(''),
        body: { EventId: 'x' },
        webhook: { id: 'w', events: [], externalIds: [] },
      }),
    ).toThrow(DeliveryError);
  });

  it('catalogues the documented events with unified names', () => {
    const names = superofficeEventTypes.map((e) => e.name);
    expect(names).toHaveLength(10 * 3 + 17);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['contact.softdeleted', 'salestakeholder.deleted', 'ticket.changed', 'test']));
    for (const e of superofficeEventTypes) expect(e.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
  });

  it.each(PROTOTYPE_NAMES)('stores %s, as a whole name, an action or an entity, as an unknown type with its raw name', (name) => {
    for (const raw of [name, `contact.${name}`, `${name}.created`]) {
      const body = { EventId: 'e1', Timestamp: '2025-05-14T10:48:07.8910000Z', Event: raw, Entity: 'contact', PrimaryKey: 1 };
      const events = superofficeProvider.normalize({
        headers: {},
        rawBody: Buffer.from(JSON.stringify(body)),
        body,
        webhook: { id: 'w', events: [], externalIds: [] },
      });
      expectPlainNames(events);
      expect(events[0]?.providerEventType).toBe(raw);
    }
  });
});
