import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/store.js';
import {
  CreateWebhookDocument,
  EventsDocument,
  OnEventsDocument,
  type OnEventsSubscription,
  TriggerSandboxEventDocument,
  WebhooksDocument,
} from '../generated/graphql.js';
import { createTestDatabase, type TestDatabase } from '../utils/databases.js';
import { gqlData, subscribeWs, wsClient } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { metricValue } from '../utils/metrics.js';
import { services } from '../utils/services.js';

interface Replica {
  url: string;
  child: ChildProcess;
  output: string[];
}

const haveServices = Boolean(services.postgres && services.redis);

/** Two real hookgraph processes sharing one PostgreSQL schema and one Redis prefix. */
describe.skipIf(!haveServices)('several replicas on PostgreSQL and Redis', () => {
  let db: TestDatabase;
  let store: Store;
  const dataDir = mkdtempSync(join(tmpdir(), 'hookgraph-replicas-'));
  leftover(() => rmSync(dataDir, { recursive: true, force: true }));
  const secret = randomBytes(32).toString('base64');
  const prefix = `hgrep-${randomBytes(4).toString('hex')}`;
  const replicas: Replica[] = [];
  let key = '';
  let tenantId = '';

  function startReplica(name: string): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: db.url,
        REDIS_URL: services.redis as string,
        HOOKGRAPH_REDIS_PREFIX: prefix,
        HOOKGRAPH_SECRET_KEY: secret,
        HOOKGRAPH_DATA_DIR: join(dataDir, name),
        HOOKGRAPH_BOOTSTRAP: '0',
        HOOKGRAPH_SANDBOX: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    leftover(child);
    const output: string[] = [];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica ${name} did not start: ${output.join('')}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output.push(String(chunk));
        const m = /listening on (http:\/\/[0-9.:]+)/.exec(output.join(''));
        if (m) {
          clearTimeout(timer);
          const r = { url: m[1] as string, child, output };
          replicas.push(r);
          resolve(r);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (c: Buffer) => output.push(String(c)));
      child.once('exit', (code) => reject(new Error(`replica ${name} exited ${code}: ${output.join('')}`)));
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // Both replicas migrate the same empty schema at once: the migrator's lock makes that safe.
    await Promise.all([startReplica('a'), startReplica('b')]);
    store = leftover(await createStore({ databaseUrl: db.url, secretKey: Buffer.from(secret, 'base64') }));
    const { tenant } = await store.tenants.getOrCreate('replicated');
    tenantId = tenant.id;
    key = (await store.apiKeys.create(tenant.id, 'test')).key;
  }, 60_000);

  const [A, B] = [() => replicas[0] as Replica, () => replicas[1] as Replica];

  async function connectToSandboxOf(r: Replica) {
    // The sandbox account (random credentials) lives in the shared database, so every replica's sandbox knows it.
    const res = await fetch(`${r.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: 'mutation { connectSandbox(provider: ROOTFI) { __typename ... on Error { message } } }',
      }),
    });
    return ((await res.json()) as { data: { connectSandbox: { __typename: string } } }).data.connectSandbox.__typename;
  }

  /** The RootFi webhook's delivery URL (replica A's, where it was created) and its secret. */
  async function rootfiHook(): Promise<{ url: string; secret: string }> {
    const { webhooks } = await gqlData(B().url, key, WebhooksDocument, { provider: 'ROOTFI' });
    const url = webhooks.edges[0]?.node.deliveryUrl as string;
    const rawId = /\/hooks\/([0-9a-f-]{36})\//.exec(url)?.[1] as string;
    const { secret } = (await store.webhooks.secrets(tenantId, rawId)) as { secret: string };
    return { url, secret };
  }

  /**
   * A RootFi CONNECTION_CHANGED delivery to replica A: an event of the tenant that the sync.completed
   * subscribers do not match, published on A's Redis connection after everything A published before it.
   */
  async function markOnA(n: number): Promise<void> {
    const { url, secret } = await rootfiHook();
    const body = JSON.stringify({
      rootfi_id: `marker-${n}-${randomBytes(4).toString('hex')}`,
      webhook_type: 'CONNECTION_CHANGED',
      company_id: 1,
      created_at: new Date().toISOString(),
      integration_type: 'XERO',
      connection_status: 'HEALTHY',
    });
    const res = await fetch(url.replace(/^http:\/\/[0-9.:]+/, A().url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hookgraph-secret': secret },
      body,
    });
    expect(res.status).toBe(200);
  }

  it('shows webhooks created on one replica on the other', async () => {
    expect(await connectToSandboxOf(A())).toBe('ConnectSandboxSuccess');
    const { createWebhook } = await gqlData(A().url, key, CreateWebhookDocument, {
      input: { provider: 'ROOTFI', events: ['SYNC_COMPLETED'] },
    });
    expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
    const { webhooks } = await gqlData(B().url, key, WebhooksDocument, { provider: 'ROOTFI' });
    expect(webhooks.edges.map((e) => e.node.id)).toContain(
      createWebhook.__typename === 'CreateWebhookSuccess' ? createWebhook.data.id : '',
    );
  });

  it('delivers events ingested on replica A to a subscriber on replica B exactly once, and resumes on A with no gap', async () => {
    const clientB = wsClient(B().url, key);
    const onB = subscribeWs<OnEventsSubscription>(clientB, OnEventsDocument, { filter: { types: ['sync.completed'] } });
    const markers = subscribeWs<OnEventsSubscription>(clientB, OnEventsDocument, { filter: { types: ['connection.changed'] } });
    // Both subscriptions run on B, and B hears A through Redis: a marker from A arrived.
    await expect.poll(() => metricValue(B().url, 'hookgraph_subscriptions_active{transport="graphql-ws"}'), { timeout: 10_000 }).toBe(2);
    await markOnA(1);
    await markers.waitFor(1, 10_000);
    for (let i = 0; i < 5; i++)
      await gqlData(A().url, key, TriggerSandboxEventDocument, { provider: 'ROOTFI', eventType: 'SYNC_COMPLETED' });
    const got = await onB.waitFor(5, 10_000);
    // Exactly once: a second marker follows any repeat of the five on the same Redis channel.
    await markOnA(2);
    await markers.waitFor(2, 10_000);
    expect(onB.items).toHaveLength(5);
    expect(new Set(got.map((g) => g.events.id)).size).toBe(5);
    onB.stop();
    await clientB.dispose();

    // More events arrive while nobody listens; the subscriber comes back on the other replica.
    for (let i = 0; i < 3; i++)
      await gqlData(A().url, key, TriggerSandboxEventDocument, { provider: 'ROOTFI', eventType: 'SYNC_COMPLETED' });
    const clientA = wsClient(A().url, key);
    const onA = subscribeWs<OnEventsSubscription>(clientA, OnEventsDocument, {
      filter: { types: ['sync.completed'] },
      after: got[4]?.events.cursor,
    });
    const resumed = await onA.waitFor(3, 10_000);
    const log = (await gqlData(B().url, key, EventsDocument, { filter: { types: ['sync.completed'] }, first: 100 })).events.edges.map(
      (e) => e.node.id,
    );
    expect([...got, ...resumed].map((g) => g.events.id)).toEqual(log);
  }, 30_000);

  it('loses no acknowledged event when a replica is killed mid-stream', async () => {
    const { url, secret: hookSecret } = await rootfiHook();
    const viaB = url.replace(/^http:\/\/[0-9.:]+/, B().url);
    const acked: string[] = [];
    const victim = A();
    let killed = false;
    // Kill replica A once deliveries are being acknowledged, while many more are still in flight.
    const killWhenBusy = () => {
      if (!killed && acked.length >= 20) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    };
    const sends = Array.from({ length: 300 }, (_, i) => {
      const rootfiId = `kill-${i}-${randomBytes(4).toString('hex')}`;
      const body = JSON.stringify({
        rootfi_id: rootfiId,
        created_at: new Date().toISOString(),
        company_id: 1,
        integration_type: 'XERO',
        webhook_type: 'SYNC_COMPLETED',
        data: { id: `s${i}`, status: 'SUCCESS' },
      });
      const target = i % 2 === 0 ? url : viaB;
      return fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hookgraph-secret': hookSecret }, body })
        .then((r) => {
          if (r.status === 200) acked.push(rootfiId);
          killWhenBusy();
        })
        .catch(() => {});
    });
    await Promise.all(sends);
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThan(0);
    const rows = await store.kysely.selectFrom('events').select('dedup_key').where('tenant_id', '=', tenantId).execute();
    const stored = new Set(rows.map((r) => r.dedup_key));
    for (const id of acked) expect(stored.has(`id:${id}`), id).toBe(true);
  }, 30_000);
});
