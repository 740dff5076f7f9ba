import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { createPaybookSandbox } from '../../src/sandbox/paybook.js';
import { createStore } from '../../src/store/store.js';
import { CreateWebhookDocument, EventsDocument, TriggerSandboxEventDocument, WebhookDocument } from '../generated/graphql.js';
import { startTestApp } from '../utils/app.js';
import { createTestDatabase, storeBackends } from '../utils/databases.js';
import { gqlData } from '../utils/graphql.js';
import { startSandboxServer } from '../utils/sandbox-server.js';

const PROVIDERS: ProviderKey[] = ['DESKERA', 'BOOQABLE', 'PAYBOOK', 'ROOTFI', 'SUPEROFFICE'];
const EVENT: Record<ProviderKey, string> = {
  DESKERA: 'CREATE_INVOICE',
  BOOQABLE: 'invoice.created',
  PAYBOOK: 'credential_create',
  ROOTFI: 'INVOICES:CREATE',
  SUPEROFFICE: 'contact.created',
};

describe.each(storeBackends)('the sandbox on %s', (backend) => {
  it('keeps sandbox webhooks ACTIVE across a restart, and a trigger after it delivers and is stored', async () => {
    const db = await createTestDatabase(backend);
    const secretKey = randomBytes(32).toString('base64');
    try {
      const first = await startTestApp({ databaseUrl: db.url, secretKey });
      const port = Number(new URL(first.url).port);
      const webhooks = new Map<ProviderKey, string>();
      try {
        const tenant = await first.tenant('persistent');
        for (const p of PROVIDERS) {
          await first.connectSandbox(tenant, p);
          const { createWebhook } = await gqlData(first.url, tenant.key, CreateWebhookDocument, {
            input: { provider: p, events: [EVENT[p]] },
          });
          if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(`${p}: ${createWebhook.__typename}`);
          webhooks.set(p, createWebhook.data.id);
        }
      } finally {
        await first.stop();
      }

      // A restart: same database, same secret key, same port (the delivery URLs carry the origin).
      const second = await startTestApp({ databaseUrl: db.url, secretKey, config: { port } });
      try {
        const tenant = await second.tenant('persistent');
        for (const p of PROVIDERS) {
          const id = webhooks.get(p) as string;
          expect((await gqlData(second.url, tenant.key, WebhookDocument, { id })).webhook?.status, p).toBe('ACTIVE');
          const { triggerSandboxEvent } = await gqlData(second.url, tenant.key, TriggerSandboxEventDocument, {
            provider: p,
            eventType: EVENT[p],
          });
          if (triggerSandboxEvent.__typename !== 'TriggerSandboxEventSuccess') throw new Error(`${p}: ${triggerSandboxEvent.__typename}`);
          expect(
            triggerSandboxEvent.data.map((d) => d.status),
            p,
          ).toEqual([200]);
          const { events } = await gqlData(second.url, tenant.key, EventsDocument, { filter: { webhookIds: [id] }, first: 10 });
          expect(
            events.edges.filter((e) => !e.node.test).map((e) => e.node.providerEventType),
            p,
          ).toEqual([EVENT[p]]);
        }
      } finally {
        await second.stop();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('loses no hook when two replicas register hooks on one account at once', async () => {
    const db = await createTestDatabase(backend);
    const store = await createStore({ databaseUrl: db.url, secretKey: randomBytes(32) });
    // Two vendor instances over one database: what two gateway replicas run.
    const replicas = [createPaybookSandbox({ store: store.sandbox }), createPaybookSandbox({ store: store.sandbox })];
    const servers = await Promise.all(replicas.map((r) => startSandboxServer(r)));
    try {
      const { credentials } = await replicas[0]!.openAccount();
      const headers = { 'content-type': 'application/json', authorization: `api_key api_key=${credentials['apiKey']}` };
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const res = await request(`${servers[i % 2]!.mountUrl}/v1/webhooks`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ url: `https://hooks.example/${i}`, events: ['refresh'] }),
          });
          expect(res.statusCode).toBe(200);
          await res.body.dump();
        }),
      );
      const listed = await request(`${servers[1]!.mountUrl}/v1/webhooks`, { headers });
      const { response } = (await listed.body.json()) as { response: Array<{ url: string }> };
      expect(response.map((h) => h.url).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `https://hooks.example/${i}`).sort());
    } finally {
      for (const s of servers) await s.close();
      await store.close();
      await db.drop();
    }
  }, 60_000);
});
