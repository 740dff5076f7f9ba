import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { CreateWebhookDocument } from '../generated/graphql.js';
import { startTestApp } from '../utils/app.js';
import { createTestDatabase } from '../utils/databases.js';
import { gql, gqlData } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { services } from '../utils/services.js';

const FINDINGS = '{ events(first: 50, filter: { types: ["hookgraph.webhook.*"] }) { edges { node { type webhookId payload } } } }';

describe('the background reconciler', () => {
  it('reconciles every connected tenant on its own and publishes what it finds as hookgraph.webhook.* events', async () => {
    const t = await startTestApp({ config: { reconcileIntervalMs: 150, reconcileJitterMs: 0 } });
    const tenant = await t.tenant();
    await t.connectSandbox(tenant, 'ROOTFI');
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
      input: { provider: 'ROOTFI', events: ['SYNC_COMPLETED'] },
    });
    if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(createWebhook.__typename);
    await (await t.app.services.connections.connector(tenant.id, 'ROOTFI')).deleteWebhook(createWebhook.data.externalIds);
    type Found = { events: { edges: Array<{ node: { type: string; webhookId: string; payload: { reasons: string[] } } }> } };
    const found = async () => (await gql<Found>(t.url, tenant.key, FINDINGS)).body.data?.events.edges.map((e) => e.node) ?? [];
    // Three passes in a row miss it (RootFi cannot confirm one): missing, missing, then deleted, with no call of ours.
    await expect.poll(async () => (await found()).map((f) => f.type), { timeout: 10_000 }).toContain('hookgraph.webhook.deleted');
    const mine = (await found()).filter((f) => f.webhookId === createWebhook.data.id);
    expect(mine.map((f) => f.type)).toEqual(['hookgraph.webhook.missing', 'hookgraph.webhook.missing', 'hookgraph.webhook.deleted']);
    expect(mine.at(-1)?.payload.reasons).toEqual(["absent from the vendor's list 3 times in a row"]);
  });

  it.skipIf(!services.postgres)('lets one replica at a time reconcile (a PostgreSQL advisory lock)', async () => {
    const db = await createTestDatabase('postgres');
    leftover(() => db.drop());
    const secretKey = randomBytes(32);
    const a = leftover(await createStore({ databaseUrl: db.url, secretKey }));
    const b = leftover(await createStore({ databaseUrl: db.url, secretKey }));
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = a.locks.run('hookgraph/reconciler', async () => {
      entered();
      await held;
      return 'a';
    });
    await inside;
    expect(await b.locks.run('hookgraph/reconciler', async () => 'b')).toBeNull();
    release();
    expect(await first).toBe('a');
    expect(await b.locks.run('hookgraph/reconciler', async () => 'b')).toBe('b');
  });
});
