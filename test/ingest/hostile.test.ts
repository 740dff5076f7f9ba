import { beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { EventsDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, gqlData } from '../utils/graphql.js';
import { authHeaders, createHooks, type Hook, PROTOTYPE_NAMES, REAL_NAME, VENDORS, type Vendor, vendorBody } from './vendors.js';

interface Answer {
  status: number;
  body: { error?: string; received?: number; stored?: number };
}

/** POSTs raw bytes to a webhook's deliveryUrl, authenticated as its vendor would (unless `auth` is false). */
async function deliver(
  t: TestApp,
  hook: Hook,
  body: Buffer | string,
  { contentType = 'application/json', auth = true }: { contentType?: string; auth?: boolean } = {},
): Promise<Answer> {
  const res = await request(`${t.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(auth && authHeaders(hook, body)) },
    body,
  });
  return { status: res.statusCode, body: (await res.body.json()) as Answer['body'] };
}

/** `{"nonce": …, "x": [[[…]]]}` with `depth` levels in all (the outer object is level 1). */
function nested(depth: number, prefix: string): string {
  return `${prefix}"x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

/** A well-formed body of the vendor, as JSON text, with a nested value spliced in just before its closing brace. */
function withDeepValue(provider: Vendor, depth: number): string {
  const json = JSON.stringify(vendorBody(provider, REAL_NAME[provider], `deep-${depth}`));
  // Paybook's body nests its item two levels down, so the splice goes into the outer object: depth counts from it.
  return nested(depth, `${json.slice(0, -1)},`);
}

describe('hostile deliveries', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let hooks: Record<Vendor, Hook>;
  const count = () => t.app.services.store.events.count(tenant.id);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    hooks = await createHooks(t, tenant);
  });

  describe.each(VENDORS)('to %s', (provider) => {
    it('refuses a body nested 5,000 levels deep (~10 KB) with a 400 naming the limit, before any reader can meet it', async () => {
      const before = await count();
      const body = withDeepValue(provider, 5_000);
      expect(body.length).toBeLessThan(11_000);
      const answer = await deliver(t, hooks[provider], body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(/nested deeper than 64 levels/);
      expect(await count()).toBe(before);
      // Nothing poisonous was stored: reading every payload of the tenant answers normally.
      const page = await gql(t.url, tenant.key, EventsDocument, { first: 100 });
      expect(page.status).toBe(200);
      expect(page.body.errors).toBeUndefined();
    });

    it.each(PROTOTYPE_NAMES)('stores the event name %s as an unknown type under its raw name, every time it is retried', async (name) => {
      const body = JSON.stringify(vendorBody(provider, name, `proto-${provider}-${name}`));
      const before = await count();
      // A retry is a duplicate, not a 503: nothing unclonable reached the writer thread.
      for (const attempt of [1, 2]) {
        const answer = await deliver(t, hooks[provider], body);
        expect(answer.status).toBe(200);
        expect(answer.body.stored).toBe(attempt === 1 ? 1 : 0);
      }
      expect(await count()).toBe(before + 1);
      const { events } = await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [hooks[provider].id] }, last: 1 });
      const stored = events.edges[0]?.node;
      expect(stored?.providerEventType).toBe(name);
      expect(stored?.type).toMatch(/^[a-z0-9_.]+$/);
    });

    it('refuses invalid UTF-8 with a 400, so the stored payload never differs from the bytes sent', async () => {
      const before = await count();
      const json = JSON.stringify(vendorBody(provider, REAL_NAME[provider], 'bad-utf8', { extra: { note: 'XX' } }));
      const [head, tail] = json.split('XX') as [string, string];
      for (const bad of [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
        const answer = await deliver(t, hooks[provider], Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]));
        expect(answer).toEqual({ status: 400, body: { error: 'body is not valid UTF-8' } });
      }
      expect(await count()).toBe(before);
    });

    it('refuses event names outside the safe alphabet with a 400', async () => {
      const before = await count();
      for (const name of ['invoice\u0000created', 'a"b', '<script>alert(1)</script>', 'x'.repeat(129), 'ïnvoice.created', 'tab\tname']) {
        const answer = await deliver(t, hooks[provider], JSON.stringify(vendorBody(provider, name, 'bad-name')));
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatch(/event name/);
      }
      expect(await count()).toBe(before);
    });
  });

  it('takes JSON nested exactly 64 levels deep, and brackets inside strings do not count', async () => {
    expect((await deliver(t, hooks.DESKERA, withDeepValue('DESKERA', 64))).status).toBe(200);
    expect((await deliver(t, hooks.DESKERA, withDeepValue('DESKERA', 65))).status).toBe(400);
    const inString = JSON.stringify(vendorBody('DESKERA', 'CREATE_INVOICE', 'brackets', { extra: { note: `"\\${'[{'.repeat(5_000)}` } }));
    expect((await deliver(t, hooks.DESKERA, inString)).status).toBe(200);
  });

  it('answers a Paybook V3 batch with one item nested 5,000 deep with the same 400 on every retry, never a 5xx', async () => {
    const before = await count();
    const items = (vendorBody('PAYBOOK', 'credentials.created', 'deep-item', { items: 3 }) as { events: unknown[] }).events;
    const deepItem = JSON.stringify(items[1]).replace('"payload":{', `"payload":{"x":${'['.repeat(5_000)}${']'.repeat(5_000)},`);
    const batch = `{"rid":"r1","events":[${JSON.stringify(items[0])},${deepItem},${JSON.stringify(items[2])}]}`;
    for (let retry = 0; retry < 3; retry++) {
      expect(await deliver(t, hooks.PAYBOOK, batch)).toEqual({ status: 400, body: { error: 'JSON body is nested deeper than 64 levels' } });
    }
    expect(await count()).toBe(before);
  });

  it('refuses a form body (Booqable v1) with invalid UTF-8, and keeps valid multi-byte text exactly as sent', async () => {
    const before = await count();
    const form = (bytes: Buffer) => Buffer.concat([Buffer.from('id=f1&event=customer.created&object=Customer&data[name]='), bytes]);
    const bad = await deliver(t, hooks.BOOQABLE, form(Buffer.from([0xfe, 0x41])), { contentType: 'application/x-www-form-urlencoded' });
    expect(bad).toEqual({ status: 400, body: { error: 'body is not valid UTF-8' } });
    expect(await count()).toBe(before);
    const text = '{"name":"Zoë 🚲 €","nonce":"utf8-ok"}';
    const body = JSON.stringify(vendorBody('DESKERA', 'CREATE_INVOICE', 'utf8-ok', { extra: JSON.parse(text) }));
    expect((await deliver(t, hooks.DESKERA, Buffer.from(body, 'utf8'))).status).toBe(200);
    const { events } = await gqlData(t.url, tenant.key, EventsDocument, { filter: { webhookIds: [hooks.DESKERA.id] }, last: 1 });
    expect(events.edges[0]?.node.payload).toEqual(JSON.parse(body));
  });

  it('refuses a 1 MiB Paybook V3 batch of 30,000 items with a 413 naming the limit, at once', async () => {
    const before = await count();
    const batch = `{"events":[${Array.from({ length: 30_000 }, () => '{"header":{"event":{"name":"x"}}}').join(',')}]}`;
    expect(batch.length).toBeLessThan(1024 * 1024);
    const answer = await deliver(t, hooks.PAYBOOK, batch);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toBe('delivery carries 30000 events; at most 1000 are accepted in one delivery');
    expect(await count()).toBe(before);
  });

  it('refuses a RootFi batch of more records than a delivery may carry with a 413', async () => {
    const before = await count();
    const batch = {
      rootfi_id: 'big-batch',
      webhook_type: 'DATA_MODEL_CHANGES',
      data_model: 'INVOICES',
      type: 'UPDATE',
      data: Array.from({ length: 1_001 }, (_, i) => ({ platform_id: `INV-${i}` })),
    };
    expect((await deliver(t, hooks.ROOTFI, JSON.stringify(batch))).status).toBe(413);
    expect(await count()).toBe(before);
  });
});

describe('a 30,000-item Paybook V3 batch with the events limit raised', () => {
  let t: TestApp;

  it('is stored in time linear in its size: one body hash for the whole delivery, not one per item', async () => {
    t = await startTestApp({ config: { limits: { maxEventsPerDelivery: 50_000 } } });
    const tenant = await t.tenant();
    const hooks = await createHooks(t, tenant);
    const batch = `{"events":[${Array.from({ length: 30_000 }, () => '{"header":{"event":{"name":"x"}}}').join(',')}]}`;
    // Without eid every item is deduplicated on the body hash (and its index); hashing 1 MiB per item took 38 s.
    const answer = await deliver(t, hooks.PAYBOOK, batch);
    expect(answer).toEqual({ status: 200, body: { received: 30_000, stored: 30_000, duplicates: 0 } });
    // The vendor's retry is recognised item by item.
    expect((await deliver(t, hooks.PAYBOOK, batch)).body).toEqual({ received: 30_000, stored: 0, duplicates: 30_000 });
  });
});
