import DataLoader from 'dataloader';
import type { Connection } from '../domain/connection.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { Tenant } from '../domain/tenant.js';
import type { RemoteWebhook, StoredWebhook } from '../domain/webhook.js';
import type { Loaders, Services } from './context.js';

/** Per-request loaders of one tenant: each vendor is listed at most once per request, each row read once. */
export function createLoaders(tenant: Tenant, { store, connections }: Pick<Services, 'store' | 'connections'>): Loaders {
  return {
    // Every path to a webhook (node, webhook(id:), Event.webhook, …) goes through this one; another tenant's id is null.
    webhook: new DataLoader<string, StoredWebhook | null>(async (ids) => {
      const byId = new Map((await store.webhooks.getMany(tenant.id, ids)).map((w) => [w.id, w]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    remoteHooks: new DataLoader<ProviderKey, Map<string, RemoteWebhook>>(async (keys) =>
      Promise.all(
        keys.map(async (p) => {
          try {
            const list = await (await connections.connector(tenant.id, p)).listWebhooks();
            return new Map(list.map((r) => [r.externalId, r]));
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    ),
    connection: new DataLoader<ProviderKey, Connection | null>(async (keys) => {
      const all = await store.connections.list(tenant.id);
      return keys.map((k) => all.find((c) => c.provider === k) ?? null);
    }),
  };
}
