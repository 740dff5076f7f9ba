import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeDelivery } from '../../src/ingest/decode-delivery.js';
import { createOffThreadDecoder } from '../../src/ingest/off-thread.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { authHeaders, createHooks, type Hook, REAL_NAME, type Vendor, vendorBody } from './vendors.js';

async function deliver(t: TestApp, hook: Hook, body: string) {
  const res = await request(`${t.url}${hook.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(hook, body) },
    body,
  });
  return { status: res.statusCode, body: (await res.body.json()) as { stored?: number; duplicates?: number; error?: string } };
}

describe('large deliveries, decoded on a worker thread', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let hooks: Record<Vendor, Hook>;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    hooks = await createHooks(t, tenant);
  });

  it('stores a 600 KB delivery exactly as sent, once, and answers its retry as a duplicate', async () => {
    const base = vendorBody('BOOQABLE', REAL_NAME.BOOQABLE, 'large-1') as Record<string, unknown>;
    const body = JSON.stringify({ ...base, notes: 'ü'.repeat(300_000) });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    expect(await deliver(t, hooks.BOOQABLE, body)).toMatchObject({ status: 200, body: { stored: 1 } });
    expect(await deliver(t, hooks.BOOQABLE, body)).toMatchObject({ status: 200, body: { stored: 0, duplicates: 1 } });
    const [stored] = await t.app.services.store.events.list(tenant.id, {
      filter: null,
      afterSeq: null,
      beforeSeq: null,
      limit: 10,
      order: 'desc',
    });
    expect(JSON.stringify(stored?.payload)).toBe(body);
  });

  it('refuses a large body the vendor never sends with the same 400 as a small one', async () => {
    const body = JSON.stringify({ unexpected: 'x'.repeat(400_000) });
    const answer = await deliver(t, hooks.PAYBOOK, body);
    expect(answer.status).toBe(400);
    const small = await deliver(t, hooks.PAYBOOK, JSON.stringify({ unexpected: 'x' }));
    expect(small).toEqual(answer);
  });
});

describe('the off-thread decoder', () => {
  it('gives the same events as decoding on the event loop, and starts a new thread after it was closed', async () => {
    const decoder = createOffThreadDecoder();
    const raw = Buffer.from(JSON.stringify(vendorBody('DESKERA', REAL_NAME.DESKERA, 'same')));
    const input = {
      provider: 'DESKERA' as const,
      headers: { 'content-type': 'application/json' },
      raw,
      webhook: { id: 'w', events: ['CREATE_INVOICE'], externalIds: [] },
      tag: null,
      maxJsonDepth: 64,
      maxEvents: 1000,
    };
    expect(await decoder.decode(input)).toEqual(decodeDelivery(input));
    await decoder.close();
    expect(await decoder.decode(input)).toEqual(decodeDelivery(input));
    await decoder.close();
  });
});
