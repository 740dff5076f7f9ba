import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/domain/errors.js';
import type { NormalizedEvent } from '../../../src/domain/event.js';
import { paybookProvider } from '../../../src/providers/paybook/index.js';
import { paybookDates, paybookV3Time } from '../../../src/providers/paybook/wire.js';
import { parseTime } from '../../../src/providers/time.js';

const parsePaybookDate = (value: unknown) => parseTime(value, paybookDates);
const parsePaybookV3Time = (value: unknown) => parseTime(value, paybookV3Time);

const normalize = (file: string) => {
  const rawBody = readFileSync(new URL(`../../fixtures/paybook/${file}`, import.meta.url));
  return paybookProvider.normalize({
    headers: {},
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

const normalizeBody = (body: unknown, maxEvents?: number) =>
  paybookProvider.normalize({
    headers: {},
    rawBody: Buffer.from(JSON.stringify(body)),
    body,
    webhook: { id: 'w', events: [], externalIds: [] },
    ...(maxEvents !== undefined && { maxEvents }),
  });
const item = (name: string, i = 0) => ({
  header: { event: { name, at: '2023-06-16 19:06:18+0000' } },
  payload: { id_credential: `c${i}` },
});

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

  it('accepts a V3 batch carrying the secret header as the user set it in the Syncfy dashboard', () => {
    const raw = readFileSync(new URL('../../fixtures/paybook/v3-batch.json', import.meta.url));
    // Node lowercases header names, so the dashboard's spelling of the name does not matter.
    expect(paybookProvider.verifyDelivery?.({ 'content-type': 'application/json', 'x-hookgraph-secret': 's3cr3t' }, raw, 's3cr3t')).toBe(
      true,
    );
    expect(paybookProvider.verifyDelivery?.({ 'content-type': 'application/json', authorization: 'Bearer s3cr3t' }, raw, 's3cr3t')).toBe(
      false,
    );
  });

  it.each(PROTOTYPE_NAMES)('stores %s, V1 or V3, as an unknown type with its raw name', (name) => {
    for (const events of [normalizeBody({ event: name }), normalizeBody({ events: [item(name)] })]) {
      expectPlainNames(events);
      expect(events[0]?.providerEventType).toBe(name);
      expect(events[0]?.type).toMatch(/^paybook\./);
    }
  });

  it('refuses a V3 batch of more items than a delivery may carry with a 413, before mapping any item', () => {
    const items = Array.from({ length: 1_001 }, (_, i) => (i === 1_000 ? { not: 'an item' } : item('credentials.created', i)));
    // The malformed last item would be a 400: the count is refused before any item is read.
    expect(() => normalizeBody({ events: items }, 1_000)).toThrow(expect.objectContaining({ status: 413 }));
    expect(normalizeBody({ events: items.slice(0, 1_000) }, 1_000)).toHaveLength(1_000);
  });
});
