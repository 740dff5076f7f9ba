import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookStatus } from '../../src/domain/webhook.js';
import type { NewEvent } from '../../src/domain/event.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';

describe.each(storeBackends)('store on %s', (backend) => {
  let db: TestDatabase;
  let store: Store;
  // One key for the database's life: a store opened with another key is refused (the key check).
  const secretKey = randomBytes(32);
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    store = await createStore({ databaseUrl: db.url, secretKey });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const event = (tenantId: string, webhookId: string, over: Partial<NewEvent> = {}) => newEvent(tenantId, { webhookId, ...over });

  it('runs migrations idempotently', async () => {
    const again = await createStore({ databaseUrl: db.url, secretKey });
    await again.close();
  });

  it('stores API keys hashed and authenticates only live keys of the right tenant', async () => {
    const { tenant } = await store.tenants.getOrCreate(`t-${randomUUID()}`);
    const { key, info } = await store.apiKeys.create(tenant.id, 'k');
    const row = await store.kysely.selectFrom('api_keys').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.slice('hg_'.length + 13));
    expect((await store.apiKeys.authenticate(key))?.tenant.id).toBe(tenant.id);
    expect(await store.apiKeys.authenticate(`${key.slice(0, -1)}x`)).toBeNull();
    expect(await store.apiKeys.authenticate('hg_nope')).toBeNull();
    expect(await store.apiKeys.revoke(info.id)).toBe(true);
    expect(await store.apiKeys.authenticate(key)).toBeNull();
  });

  it('seals credentials at rest and opens them for their own tenant only', async () => {
    const { tenant } = await store.tenants.getOrCreate(`t-${randomUUID()}`);
    await store.connections.upsert(tenant.id, 'PAYBOOK', 'https://sync.paybook.com', { apiKey: 'pb-super-secret' });
    const row = await store.kysely.selectFrom('connections').selectAll().where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow();
    expect(row.credentials).not.toContain('pb-super-secret');
    expect((await store.connections.get(tenant.id, 'PAYBOOK'))?.credentials).toEqual({ apiKey: 'pb-super-secret' });
    expect(await store.connections.get(randomUUID(), 'PAYBOOK')).toBeNull();
  });

  it('keeps webhook tokens hashed for checks and sealed for display', async () => {
    const { tenant } = await store.tenants.getOrCreate(`t-${randomUUID()}`);
    const { webhook, token, secret } = await store.webhooks.insert(
      { id: randomUUID(), tenantId: tenant.id, provider: 'SUPEROFFICE', name: 'w', events: ['contact.created'], payloadVersion: null },
      WebhookStatus.UNKNOWN,
    );
    const row = await store.kysely.selectFrom('webhooks').selectAll().where('id', '=', webhook.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await store.webhooks.secrets(tenant.id, webhook.id)).toEqual({ token, secret });
    expect(await store.webhooks.get(randomUUID(), webhook.id)).toBeNull();
  });

  it('answers every append still in flight when it is closed', async () => {
    const own = await createStore({ databaseUrl: db.url, secretKey });
    const tenantId = randomUUID();
    const appends = Array.from({ length: 20 }, () => own.events.append([event(tenantId, randomUUID())]));
    await own.close();
    const results = await Promise.all(appends);
    expect(results.every(([r]) => r !== null && r !== undefined && r.event.seq > 0)).toBe(true);
    expect(await store.events.count(tenantId)).toBe(20);
  });

  it('stores a duplicate (same webhook and dedup key) once', async () => {
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const e = event(tenantId, webhookId, { dedupKey: 'id:same' });
    const [first] = await store.events.append([e]);
    const [second] = await store.events.append([{ ...e, payload: { other: true } }]);
    expect(first?.event.seq).toBeGreaterThan(0);
    expect(second).toBeNull();
    expect(await store.events.count(tenantId)).toBe(1);
    // The same vendor event on another webhook is another delivery.
    const [third] = await store.events.append([{ ...e, webhookId: randomUUID() }]);
    expect(third).not.toBeNull();
  });

  it('stores the second of two identical deliveries in one batch as a duplicate', async () => {
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const e = event(tenantId, webhookId, { dedupKey: 'id:twice' });
    const [a, b, c] = await store.events.append([e, { ...e }, event(tenantId, webhookId)]);
    expect(a?.event.seq).toBeGreaterThan(0);
    expect(b).toBeNull();
    expect(c?.prevSeq).toBe(a?.event.seq);
    expect(await store.events.count(tenantId)).toBe(2);
  });

  it('stores a pre-serialized payload as given and returns it parsed', async () => {
    const tenantId = randomUUID();
    const [a] = await store.events.append([
      event(tenantId, randomUUID(), { payload: { from: 'object' }, payloadJson: '{"from":"raw body"}' }),
    ]);
    expect(a?.event.payload).toEqual({ from: 'object' });
    expect((await store.events.get(tenantId, a?.event.id ?? ''))?.payload).toEqual({ from: 'raw body' });
  });

  it("links each appended event to the tenant's previous seq", async () => {
    const tenantId = randomUUID();
    const webhookId = randomUUID();
    const [a, b] = await store.events.append([event(tenantId, webhookId), event(tenantId, webhookId)]);
    const [c] = await store.events.append([event(tenantId, webhookId)]);
    expect(a?.prevSeq).toBeNull();
    expect(b?.prevSeq).toBe(a?.event.seq);
    expect(c?.prevSeq).toBe(b?.event.seq);
    expect(await store.events.head(tenantId)).toBe(c?.event.seq);
  });

  it('pages the log forwards and backwards with provider, type-prefix and webhook filters', async () => {
    const tenantId = randomUUID();
    const w1 = randomUUID();
    const w2 = randomUUID();
    await store.events.append([
      event(tenantId, w1, { type: 'invoice.created' }),
      event(tenantId, w1, { type: 'invoice.updated' }),
      event(tenantId, w2, { type: 'contact.created', provider: 'SUPEROFFICE' }),
      event(tenantId, w2, { type: 'invoice_line.created' }),
      event(randomUUID(), w1, { type: 'invoice.created' }),
    ]);
    const all = await store.events.list(tenantId, { limit: 10, order: 'asc' });
    expect(all.map((e) => e.type)).toEqual(['invoice.created', 'invoice.updated', 'contact.created', 'invoice_line.created']);
    const invoices = await store.events.list(tenantId, { filter: { types: ['invoice.*'] }, limit: 10, order: 'asc' });
    expect(invoices.map((e) => e.type)).toEqual(['invoice.created', 'invoice.updated']);
    const so = await store.events.list(tenantId, { filter: { providers: ['SUPEROFFICE'] }, limit: 10, order: 'asc' });
    expect(so.map((e) => e.type)).toEqual(['contact.created']);
    const byHook = await store.events.list(tenantId, { filter: { webhookIds: [w2] }, limit: 10, order: 'desc' });
    expect(byHook.map((e) => e.type)).toEqual(['invoice_line.created', 'contact.created']);
    const after = await store.events.list(tenantId, { afterSeq: all[1]?.seq ?? 0, limit: 1, order: 'asc' });
    expect(after.map((e) => e.type)).toEqual(['contact.created']);
    const before = await store.events.list(tenantId, { beforeSeq: all[2]?.seq ?? 0, limit: 5, order: 'desc' });
    expect(before.map((e) => e.type)).toEqual(['invoice.updated', 'invoice.created']);
  });

  it('round-trips every event field', async () => {
    const tenantId = randomUUID();
    const e = event(tenantId, randomUUID(), { test: true, resource: null, occurredAt: null, payload: { nested: { a: [1, 2] } } });
    const [stored] = await store.events.append([e]);
    const got = await store.events.get(tenantId, stored?.event.id ?? '');
    expect(got).toMatchObject({
      tenantId,
      test: true,
      resource: null,
      occurredAt: null,
      payload: { nested: { a: [1, 2] } },
      type: 'invoice.created',
    });
    expect(await store.events.get(randomUUID(), stored?.event.id ?? '')).toBeNull();
  });
});

describe('store on an in-memory SQLite database', () => {
  it('appends, deduplicates and prunes on its own connection, through the same appender as the writer thread', async () => {
    const store = await createStore({ databaseUrl: 'file::memory:', secretKey: randomBytes(32) });
    try {
      const { tenant } = await store.tenants.getOrCreate('acme');
      const webhookId = randomUUID();
      const old = newEvent(tenant.id, { webhookId, receivedAt: new Date(Date.now() - 2 * 86_400_000) });
      const [a, twice] = await store.events.append([old, { ...old }]);
      expect(a?.event.seq).toBe(1);
      expect(twice).toBeNull();
      const [b] = await store.events.append([newEvent(tenant.id, { webhookId })]);
      expect(b?.prevSeq).toBe(1);
      expect(await store.events.append([{ ...old }])).toEqual([null]);
      // Rows written by the appender are in the reads' database: there is only one.
      expect(await store.events.count(tenant.id)).toBe(2);
      const yesterday = new Date(Date.now() - 86_400_000);
      expect(await store.events.pruneBatch(tenant.id, yesterday, 10)).toMatchObject({ rows: 1, throughSeq: 1, more: false });
      expect((await store.events.horizon(tenant.id)).seq).toBe(1);
      expect((await store.events.list(tenant.id, { limit: 10, order: 'asc' })).map((e) => e.seq)).toEqual([2]);
    } finally {
      await store.close();
    }
  });
});
