import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import { paybookProvider } from '../../../src/providers/paybook/index.js';
import { parsePaybookDate, parsePaybookV3Time } from '../../../src/providers/paybook/map.js';

const normalize = (file: string) => {
  const rawBody = readFileSync(new URL(`../../fixtures/paybook/${file}`, import.meta.url));
  return paybookProvider.normalize({
    headers: {},
    rawBody,
    body: JSON.parse(rawBody.toString()),
    webhook: { id: 'w', events: [], externalIds: [] },
  });
};

describe('Paybook deliveries', () => {
  it('reads a V1 flat delivery: no id, no time, the credential as resource', () => {
    expect(normalize('v1-credential-create.json')).toEqual([
      expect.objectContaining({
        type: 'credential.created',
        providerEventType: 'credential_create',
        resource: { type: 'credential', id: '5e793889ea4c5165d46f9811' },
        occurredAt: null,
        vendorEventId: null,
      }),
    ]);
  });

  it('splits a V3 batch into one event per item with its eid and non-ISO time', () => {
    const events = normalize('v3-batch.json');
    expect(events.map((e) => [e.type, e.vendorEventId])).toEqual([
      ['credential.created', '6ff4da49-4193-4ee0-8e9e-7415b7fcb9cb'],
      ['documents.failed', '7aa4da49-4193-4ee0-8e9e-7415b7fcb9cc'],
    ]);
    expect(events[0]?.occurredAt?.toISOString()).toBe('2023-06-16T19:06:18.944Z');
    expect(events[1]?.occurredAt?.toISOString()).toBe('2023-06-16T17:06:19.000Z');
    expect(events[0]?.resource).toEqual({ type: 'credential', id: '648cb2a99ca1b91b0a141391' });
  });

  it('parses both date styles of the webhook object and the V3 timestamp format', () => {
    expect(parsePaybookDate(1590730239)?.toISOString()).toBe('2020-05-29T05:30:39.000Z');
    expect(parsePaybookDate('1590730239')?.toISOString()).toBe('2020-05-29T05:30:39.000Z');
    expect(parsePaybookDate('2019-10-07T21:17:15+00:00')?.toISOString()).toBe('2019-10-07T21:17:15.000Z');
    expect(parsePaybookDate(null)).toBeNull();
    expect(parsePaybookV3Time('2023-06-16 19:06:18.944575+0000')?.toISOString()).toBe('2023-06-16T19:06:18.944Z');
    expect(parsePaybookV3Time('2023-06-16 19:06:18-0530')?.toISOString()).toBe('2023-06-17T00:36:18.000Z');
    expect(parsePaybookV3Time('yesterday')).toBeNull();
  });

  it('refuses an empty batch or a body without an event with a 400', () => {
    const norm = (body: unknown) => () =>
      paybookProvider.normalize({ headers: {}, rawBody: Buffer.from(''), body, webhook: { id: 'w', events: [], externalIds: [] } });
    expect(norm({ rid: 'x', events: [] })).toThrow(DeliveryError);
    expect(norm({ id_user: 'x' })).toThrow(DeliveryError);
  });

  it('authenticates deliveries by the custom secret header, in constant time', () => {
    const verify = paybookProvider.verifyDelivery;
    expect(verify?.({ 'x-hookgraph-secret': 'abc' }, Buffer.from(''), 'abc')).toBe(true);
    expect(verify?.({ 'x-hookgraph-secret': 'abd' }, Buffer.from(''), 'abc')).toBe(false);
    expect(verify?.({ 'x-hookgraph-secret': 'a' }, Buffer.from(''), 'abc')).toBe(false);
    expect(verify?.({}, Buffer.from(''), 'abc')).toBe(false);
  });
});
