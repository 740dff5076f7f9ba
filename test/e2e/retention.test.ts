import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/event.js';
import { CursorExpiredError, openEventStream } from '../../src/stream/event-stream.js';
import { CreateWebhookDocument, EventsDocument, OnEventsDocument, type OnEventsSubscription } from '../generated/graphql.js';
import { vendorBody } from '../ingest/vendors.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { storeBackends } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';
import { gql, gqlData, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type GraphQLErrorJson = { message: string; extensions?: Record<string, unknown> };
/** The first error a subscription collector got (graphql-ws `next`/`error` and SSE both hand over a list). */
const firstError = (errors: unknown[]) => (errors[0] as GraphQLErrorJson[] | undefined)?.[0];

describe.each(storeBackends)('retention on %s', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database, config: { retentionMs: DAY } });
  });

  /** A Booqable sandbox webhook of the tenant, as the path its deliveries are posted to. */
  async function hookOf(app: TestApp, tenant: TestTenant): Promise<string> {
    await app.connectSandbox(tenant, 'BOOQABLE');
    const { createWebhook: r } = await gqlData(app.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'BOOQABLE', events: ['customer.created'], payloadVersion: '4' },
    });
    if (r.__typename !== 'CreateWebhookSuccess') throw new Error(r.__typename);
    return new URL(r.data.deliveryUrl).pathname;
  }

  /** One real delivery, as Booqable posts it; answers the status. */
  async function deliver(app: TestApp, path: string, nonce: string = randomUUID()): Promise<number> {
    const res = await request(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(vendorBody('BOOQABLE', 'customer.created', nonce)),
    });
    await res.body.dump();
    return res.statusCode;
  }

  const seqsOf = async (app: TestApp, tenantId: string) =>
    (await app.app.services.store.kysely.selectFrom('events').select('seq').where('tenant_id', '=', tenantId).orderBy('seq').execute()).map(
      (r) => Number(r.seq),
    );

  /** Moves the tenant's events (through `throughSeq`) two days back, as if they had arrived then. */
  async function backdate(app: TestApp, tenantId: string, throughSeq = Number.MAX_SAFE_INTEGER): Promise<void> {
    await app.app.services.store.kysely
      .updateTable('events')
      .set({ received_at: new Date(Date.now() - 2 * DAY).toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('seq', '<=', throughSeq)
      .execute();
  }

  it('deletes events older than the window in small batches while deliveries keep being acknowledged and stored', async () => {
    const tenant = await t.tenant();
    const path = await hookOf(t, tenant);
    for (let i = 0; i < 8; i++) {
      const statuses = await Promise.all(Array.from({ length: 25 }, () => deliver(t, path)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    await backdate(t, tenant.id);
    const old = await seqsOf(t, tenant.id);
    expect(old).toHaveLength(200);

    const passLines = () => t.logs.filter((l) => l.includes('"msg":"retention pass"')).length;
    const linesBefore = passLines();
    // Four senders deliver for as long as the pass runs.
    let passing = true;
    const during: Array<{ nonce: string; status: number }> = [];
    const pass = t.app.retention.pruneOnce({ batchSize: 10 }).finally(() => {
      passing = false;
    });
    const senders = Array.from({ length: 4 }, async () => {
      while (passing) {
        const nonce = randomUUID();
        during.push({ nonce, status: await deliver(t, path, nonce) });
      }
    });
    const report = await pass;
    await Promise.all(senders);

    // 200 rows at 10 a transaction: at least 20 of them, with turns of the event loop between.
    expect(report.batches).toBeGreaterThanOrEqual(20);
    expect(report.rows).toBeGreaterThanOrEqual(200);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((d) => d.status !== 200)).toEqual([]);
    // Every old event is gone, every delivery made during the pass is stored.
    const left = await seqsOf(t, tenant.id);
    expect(left.filter((s) => s <= (old.at(-1) as number))).toEqual([]);
    const rows = await t.app.services.store.events.list(tenant.id, { limit: 1_000, order: 'asc' });
    expect(rows.map((e) => (e.payload as { nonce: string }).nonce).sort()).toEqual(during.map((d) => d.nonce).sort());
    expect((await t.app.services.store.events.horizon(tenant.id)).seq).toBe(old.at(-1));
    // One info line for the pass, with its rows and time; none per row or batch.
    expect(passLines()).toBe(linesBefore + 1);
    const line = JSON.parse(t.logs.filter((l) => l.includes('"msg":"retention pass"')).at(-1) as string) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, rows: report.rows, batches: report.batches });
    expect(typeof line['ms']).toBe('number');
  });

  it("prunes by each tenant's own window: an override, 'forever', and the gateway default (even when that keeps everything)", async () => {
    const keepAll = await startTestApp({ database, config: { retentionMs: null } });
    try {
      // The gateway keeps everything, one tenant asked for an hour.
      const acme = await keepAll.tenant('acme');
      const globex = await keepAll.tenant('globex');
      await keepAll.app.services.store.tenants.setRetention(acme.id, HOUR);
      for (const tenant of [acme, globex]) {
        const path = await hookOf(keepAll, tenant);
        for (let i = 0; i < 3; i++) expect(await deliver(keepAll, path)).toBe(200);
        await backdate(keepAll, tenant.id);
      }
      await keepAll.app.retention.pruneOnce();
      expect(await seqsOf(keepAll, acme.id)).toEqual([]);
      expect(await seqsOf(keepAll, globex.id)).toHaveLength(3);
    } finally {
      await keepAll.stop();
    }

    // The gateway keeps a day: one tenant keeps forever, one a week, one follows the default.
    const [initech, hooli, umbrella] = [await t.tenant(), await t.tenant(), await t.tenant()];
    const { tenants } = t.app.services.store;
    await tenants.setRetention(initech.id, 'forever');
    await tenants.setRetention(hooli.id, 7 * DAY);
    await tenants.setRetention(umbrella.id, 'forever');
    await tenants.setRetention(umbrella.id, null);
    for (const tenant of [initech, hooli, umbrella]) {
      const path = await hookOf(t, tenant);
      for (let i = 0; i < 3; i++) expect(await deliver(t, path)).toBe(200);
      await backdate(t, tenant.id);
    }
    await t.app.retention.pruneOnce();
    expect(await seqsOf(t, initech.id)).toHaveLength(3);
    expect(await seqsOf(t, hooli.id)).toHaveLength(3);
    expect(await seqsOf(t, umbrella.id)).toEqual([]);
    // The week passes for hooli once its window is an hour.
    await tenants.setRetention(hooli.id, HOUR);
    await t.app.retention.pruneOnce();
    expect(await seqsOf(t, hooli.id)).toEqual([]);
  });

  describe('a cursor into the pruned part of the log', () => {
    let tenant: TestTenant;
    let path: string;
    let cursors: string[];
    let ids: string[];

    beforeAll(async () => {
      tenant = await t.tenant();
      path = await hookOf(t, tenant);
      for (let i = 0; i < 10; i++) expect(await deliver(t, path)).toBe(200);
      const page = await gqlData(t.url, tenant.key, EventsDocument, { first: 10 });
      cursors = page.events.edges.map((e) => e.cursor);
      ids = page.events.edges.map((e) => e.node.id);
      // The five oldest expire: the horizon is the fifth event's seq.
      const seqs = await seqsOf(t, tenant.id);
      await backdate(t, tenant.id, seqs[4]);
      await t.app.retention.pruneOnce();
      expect(await seqsOf(t, tenant.id)).toEqual(seqs.slice(5));
    });

    const expired = (error: GraphQLErrorJson | undefined, field: 'after' | 'before') => {
      expect(error?.extensions).toMatchObject({ code: 'CURSOR_EXPIRED', field, retention: '1d', horizon: cursors[4] });
      expect(error?.message).toMatch(new RegExp(`^events ${field} this cursor were pruned \\(retention 1d\\): `));
    };

    it('fails events(after:) and events(before:) with CURSOR_EXPIRED, which tells how to recover', async () => {
      const after = await gql(t.url, tenant.key, EventsDocument, { first: 10, after: cursors[1] });
      expect(after.status).toBe(200);
      expired(after.body.errors?.[0], 'after');
      expect(after.body.errors?.[0]?.message).toContain('subscribe without `after`, or resume with `after` set to extensions.horizon');
      expect(after.body.errors?.[0]?.message).toContain('reconcile the gap from the vendor');
      const before = await gql(t.url, tenant.key, EventsDocument, { last: 3, before: cursors[2] });
      expired(before.body.errors?.[0], 'before');
    });

    it('answers a cursor at the horizon (and extensions.horizon) with every event kept, and no cursor with the oldest kept', async () => {
      for (const after of [cursors[4], cursors[5]]) {
        const page = await gqlData(t.url, tenant.key, EventsDocument, { first: 10, after });
        expect(page.events.edges.map((e) => e.node.id)).toEqual(ids.slice(after === cursors[4] ? 5 : 6));
      }
      const first = await gqlData(t.url, tenant.key, EventsDocument, { first: 1 });
      expect(first.events.edges.map((e) => e.node.id)).toEqual([ids[5]]);
      const back = await gqlData(t.url, tenant.key, EventsDocument, { last: 3, before: cursors[7] });
      expect(back.events.edges.map((e) => e.node.id)).toEqual(ids.slice(5, 7));
    });

    it('refuses a graphql-ws resume from a pruned cursor with CURSOR_EXPIRED, and leaves the socket and its other subscriptions open', async () => {
      const client = wsClient(t.url, tenant.key);
      try {
        const kept = subscribeWs<OnEventsSubscription>(client, OnEventsDocument, { after: cursors[4] });
        expect((await kept.waitFor(5)).map((r) => r.events.id)).toEqual(ids.slice(5));
        const gone = subscribeWs<OnEventsSubscription>(client, OnEventsDocument, { after: cursors[1] });
        await expect.poll(() => gone.errors.length).toBe(1);
        expired(firstError(gone.errors), 'after');
        expect(gone.items).toEqual([]);
        // Same socket, still live.
        expect(await deliver(t, path)).toBe(200);
        expect(await kept.waitFor(6)).toHaveLength(6);
      } finally {
        await client.dispose();
      }
    });

    it('refuses an SSE resume from a pruned cursor with CURSOR_EXPIRED, and replays from the horizon', async () => {
      const gone = subscribeSse<OnEventsSubscription>(t.url, tenant.key, OnEventsDocument, { after: cursors[0] });
      const kept = subscribeSse<OnEventsSubscription>(t.url, tenant.key, OnEventsDocument, { after: cursors[4] });
      try {
        expect(await gone.ready).toBe(200);
        await expect.poll(() => gone.errors.length).toBe(1);
        expired(firstError(gone.errors), 'after');
        expect(gone.items).toEqual([]);
        expect(await kept.ready).toBe(200);
        expect((await kept.waitFor(5)).map((r) => r.events.id).slice(0, 5)).toEqual(ids.slice(5));
      } finally {
        gone.stop();
        kept.stop();
      }
    });
  });

  it('ends a replay that the pruner overtakes with CURSOR_EXPIRED: what came before is a gapless prefix, nothing is skipped', async () => {
    const tenant = await t.tenant();
    const { store, bus } = t.app.services;
    const appended = await store.events.append(Array.from({ length: 1_200 }, () => newEvent(tenant.id)));
    const seqs = appended.map((a) => a?.event.seq as number);
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant.id, filter: null, afterSeq: 0 });
    const got: number[] = [];
    // The first page is read...
    got.push(((await stream.next()).value as StoredEvent).seq);
    // ...then the whole log expires and is pruned before the next one.
    await backdate(t, tenant.id);
    await t.app.retention.pruneOnce({ batchSize: 2_000 });
    const failure = await (async () => {
      try {
        for (;;) {
          const r = await stream.next();
          if (r.done) return null;
          got.push(r.value.seq);
        }
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(CursorExpiredError);
    expect((failure as CursorExpiredError).horizon.seq).toBe(seqs.at(-1));
    expect(got.length).toBeLessThan(seqs.length);
    expect(got).toEqual(seqs.slice(0, got.length));
    await stream.return?.();
    expect(bus.listeners(tenant.id)).toBe(0);
  });
});
