import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/crypto.js';
import { DeliveryError } from '../../../src/domain/errors.js';
import type { NormalizedEvent } from '../../../src/domain/event.js';
import { rootfiProvider } from '../../../src/providers/rootfi/index.js';
import type { Delivery } from '../../../src/providers/types.js';

const SECRET = 'whsec-rootfi-test';

function fixture(name: string): { raw: Buffer; body: unknown } {
  const raw = readFileSync(new URL(`../../fixtures/rootfi/${name}`, import.meta.url));
  return { raw, body: JSON.parse(raw.toString('utf8')) };
}

function delivery(name: string, headers: Delivery['headers'] = {}): Delivery {
  const { raw, body } = fixture(name);
  return {
    headers: { 'content-type': 'application/json', 'x-hookgraph-secret': SECRET, ...headers },
    rawBody: raw,
    body,
    webhook: { id: 'w1', events: [], externalIds: [] },
  };
}

const normalizeOne = (name: string) => {
  const events = rootfiProvider.normalize(delivery(name));
  expect(events).toHaveLength(1);
  return events[0]!;
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
  rootfiProvider.normalize({
    headers: {},
    rawBody: Buffer.from(JSON.stringify(body)),
    body,
    webhook: { id: 'w1', events: [], externalIds: [] },
    ...(maxEvents !== undefined && { maxEvents }),
  });

describe('RootFi delivery normalization', () => {
  it('maps a DATA_MODEL_CHANGES batch of one record to one event named after that record', () => {
    const e = normalizeOne('data-model-changes.json');
    expect(e.type).toBe('payment_customer.created');
    expect(e.providerEventType).toBe('PAYMENT_CUSTOMERS:CREATE');
    expect(e.resource).toEqual({ type: 'payment_customer', id: '3124930487' });
    expect(e.occurredAt?.toISOString()).toBe('2024-05-16T11:27:38.743Z');
    expect(e.vendorEventId).toBe('3kghiU5NBgVUrkz');
    expect(e.dedupKey).toBeNull();
    expect(e.test).toBe(false);
    expect(e.payload).toEqual(fixture('data-model-changes.json').body);
  });

  it('splits a batch of several records into one event per record, each about its record', () => {
    const { body } = fixture('data-model-changes-batch.json');
    const events = rootfiProvider.normalize(delivery('data-model-changes-batch.json'));
    expect(events.map((e) => [e.type, e.providerEventType, e.resource])).toEqual([
      ['invoice.updated', 'INVOICES:UPDATE', { type: 'invoice', id: 'INV-0001' }],
      ['invoice.updated', 'INVOICES:UPDATE', { type: 'invoice', id: 'INV-0002' }],
    ]);
    const records = (body as { data: unknown[] }).data;
    const { data: _all, ...envelope } = body as Record<string, unknown>;
    expect(events.map((e) => e.payload)).toEqual(records.map((r) => ({ ...envelope, data: [r] })));
    expect(events.map((e) => e.occurredAt?.toISOString())).toEqual(['2024-05-16T11:30:02.120Z', '2024-05-16T11:30:02.120Z']);
    expect(events.map((e) => e.vendorEventId)).toEqual(['Qm8TzVb2LkPw9Rx', 'Qm8TzVb2LkPw9Rx']);
    // Distinct keys, so the records are not deduplicated into one; the same on a retry of the batch.
    expect(events.map((e) => e.dedupKey)).toEqual(['Qm8TzVb2LkPw9Rx#0', 'Qm8TzVb2LkPw9Rx#1']);
    expect(rootfiProvider.normalize(delivery('data-model-changes-batch.json')).map((e) => e.dedupKey)).toEqual(
      events.map((e) => e.dedupKey),
    );
  });

  it('leaves a batch without rootfi_id to the ingest route to dedup record by record', () => {
    const batch = { data_model: 'ACCOUNTS', type: 'UPDATE', data: [{ platform_id: 1 }, { platform_id: 2 }], company_id: 12 };
    const events = normalizeBody(batch);
    expect(events.map((e) => [e.resource?.id, e.vendorEventId, e.dedupKey])).toEqual([
      ['1', null, null],
      ['2', null, null],
    ]);
  });

  it('keeps a batch with no records as one change notice about no record', () => {
    const events = normalizeBody({ webhook_type: 'DATA_MODEL_CHANGES', data_model: 'INVOICES', type: 'DELETE', data: [], rootfi_id: 'r1' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'invoice.deleted',
      resource: { type: 'invoice', id: null },
      vendorEventId: 'r1',
      dedupKey: null,
    });
  });

  it('maps SYNC_COMPLETED to sync.completed about the sync id', () => {
    const e = normalizeOne('sync-completed.json');
    expect(e.type).toBe('sync.completed');
    expect(e.providerEventType).toBe('SYNC_COMPLETED');
    expect(e.resource).toEqual({ type: 'sync', id: 'pt21IJtaATVZJ5v' });
    expect(e.occurredAt?.toISOString()).toBe('2024-05-16T10:46:47.360Z');
    expect(e.vendorEventId).toBe('Ew54biv7WasFlIg');
    expect(e.dedupKey).toBeNull();
  });

  it('types a SYNC_COMPLETED whose status is FAILED as sync.failed, about the same sync', () => {
    const { body } = fixture('sync-completed.json');
    const failed = {
      ...(body as Record<string, unknown>),
      data: { ...(body as { data: object }).data, status: 'FAILED', failed_jobs_count: 15 },
    };
    const [e] = normalizeBody(failed);
    expect(e).toMatchObject({
      type: 'sync.failed',
      providerEventType: 'SYNC_COMPLETED',
      resource: { type: 'sync', id: 'pt21IJtaATVZJ5v' },
      vendorEventId: 'Ew54biv7WasFlIg',
    });
    expect(e?.payload).toBe(failed);
    for (const status of ['SUCCESS', 'RUNNING', undefined, 42]) {
      const other = { ...(body as Record<string, unknown>), data: { ...(body as { data: object }).data, status } };
      expect(normalizeBody(other)[0]?.type).toBe('sync.completed');
    }
  });

  it('maps CONNECTION_CHANGED, which has no rootfi_id, to connection.changed deduped on what identifies the change', () => {
    const e = normalizeOne('connection-changed.json');
    expect(e.type).toBe('connection.changed');
    expect(e.providerEventType).toBe('CONNECTION_CHANGED');
    expect(e.resource).toEqual({ type: 'connection', id: '285' });
    expect(e.occurredAt?.toISOString()).toBe('2023-01-01T00:00:00.000Z');
    expect(e.vendorEventId).toBeNull();
    expect(e.dedupKey).toBe(`connection:${sha256Hex('285\nZOHO_BOOKS\nHEALTHY\n2023-01-01T00:00:00.000Z')}`);
  });

  it('gives the same dedup key to a CONNECTION_CHANGED retry serialized differently', () => {
    const { body } = fixture('connection-changed.json');
    const reordered = Object.fromEntries(Object.entries(body as Record<string, unknown>).reverse());
    const again = rootfiProvider.normalize({
      ...delivery('connection-changed.json'),
      body: reordered,
      rawBody: Buffer.from(JSON.stringify(reordered)),
    });
    expect(again[0]?.dedupKey).toBe(normalizeOne('connection-changed.json').dedupKey);
  });

  it('reads the legacy shape (no webhook_type, data a single object) as a data model change', () => {
    const e = normalizeOne('legacy-data-model.json');
    expect(e.type).toBe('account.updated');
    expect(e.providerEventType).toBe('ACCOUNTS:UPDATE');
    expect(e.resource).toEqual({ type: 'account', id: '870' });
    expect(e.occurredAt?.toISOString()).toBe('2022-01-23T00:00:00.000Z');
    expect(e.vendorEventId).toBeNull();
  });

  it('keeps an event type it does not know, with a best-effort unified type', () => {
    const e = normalizeOne('unknown-webhook-type.json');
    expect(e.type).toBe('sync.started');
    expect(e.providerEventType).toBe('SYNC_STARTED');
    expect(e.vendorEventId).toBe('Zx81kLmN0pQrStU');
    const v4 = rootfiProvider.normalize({ ...delivery('connection-changed.json'), body: { event: 'invoice.create', company_id: 496 } });
    expect(v4[0]).toMatchObject({ type: 'invoice.created', providerEventType: 'invoice.create', resource: null });
  });

  it('keeps a data model or operation RootFi adds later', () => {
    const { body } = fixture('data-model-changes.json');
    const e = rootfiProvider.normalize({
      ...delivery('data-model-changes.json'),
      body: { ...(body as object), data_model: 'PAYMENT_MANDATES', type: 'ARCHIVE' },
    });
    expect(e[0]).toMatchObject({ type: 'payment_mandate.archive', providerEventType: 'PAYMENT_MANDATES:ARCHIVE' });
  });

  it('treats a zoneless timestamp as UTC and an unreadable one as unknown', () => {
    const { body } = fixture('sync-completed.json');
    const at = (created_at: unknown) =>
      rootfiProvider.normalize({ ...delivery('sync-completed.json'), body: { ...(body as object), created_at } })[0]?.occurredAt;
    expect(at('2024-05-16T10:46:47')?.toISOString()).toBe('2024-05-16T10:46:47.000Z');
    expect(at('yesterday')).toBeNull();
    expect(at(undefined)).toBeNull();
  });

  it.each(['malformed-no-type.json', 'malformed-array.json'])('refuses %s with a 400', (name) => {
    let err: unknown = null;
    try {
      rootfiProvider.normalize(delivery(name));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).status).toBe(400);
  });

  it('refuses a DATA_MODEL_CHANGES body without data_model', () => {
    expect(() =>
      rootfiProvider.normalize({ ...delivery('sync-completed.json'), body: { webhook_type: 'DATA_MODEL_CHANGES', type: 'CREATE' } }),
    ).toThrow(DeliveryError);
  });

  it.each(PROTOTYPE_NAMES)('stores %s as webhook type, data model or operation as an unknown type with its raw name', (name) => {
    const shapes = [
      { webhook_type: name, created_at: '2024-05-16T11:27:38.743Z' },
      { webhook_type: 'DATA_MODEL_CHANGES', data_model: name, type: name, data: [] },
      { webhook_type: 'DATA_MODEL_CHANGES', data_model: 'INVOICES', type: name, data: [] },
    ];
    for (const body of shapes) expectPlainNames(normalizeBody(body));
    expect(normalizeBody(shapes[0])[0]?.providerEventType).toBe(name);
    expect(normalizeBody(shapes[2])[0]).toMatchObject({ providerEventType: `INVOICES:${name}`, type: `invoice.${name.toLowerCase()}` });
  });

  it('refuses a DATA_MODEL_CHANGES batch of more records than a delivery may carry with a 413', () => {
    const batch = (n: number) => ({
      webhook_type: 'DATA_MODEL_CHANGES',
      data_model: 'INVOICES',
      type: 'UPDATE',
      data: Array.from({ length: n }, (_, i) => ({ platform_id: `INV-${i}` })),
    });
    expect(() => normalizeBody(batch(1_001), 1_000)).toThrow(expect.objectContaining({ status: 413 }));
    expect(normalizeBody(batch(1_000), 1_000)).toHaveLength(1_000);
  });
});

describe('RootFi delivery verification', () => {
  const raw = Buffer.from('{}');
  const verify = rootfiProvider.verifyDelivery!;

  it('accepts a delivery carrying the webhook secret header hookgraph registered', () => {
    expect(verify({ 'x-hookgraph-secret': SECRET }, raw, SECRET)).toBe(true);
  });

  it('rejects a missing, wrong or truncated secret header', () => {
    expect(verify({}, raw, SECRET)).toBe(false);
    expect(verify({ 'x-hookgraph-secret': 'nope' }, raw, SECRET)).toBe(false);
    expect(verify({ 'x-hookgraph-secret': SECRET.slice(0, -1) }, raw, SECRET)).toBe(false);
    expect(verify({ 'x-hookgraph-secret': '' }, raw, '')).toBe(false);
  });
});
