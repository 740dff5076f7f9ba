import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
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

  it('reads a state event by its header name, with the webhook as resource', () => {
    const [e] = normalize('state-stopped.json', { 'x-superoffice-event': 'webhook12.stopped' });
    expect(e).toMatchObject({ type: 'webhook.stopped', providerEventType: 'webhook12.stopped', resource: { type: 'webhook', id: '12' } });
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
});
