// RootFi v3 core webhooks API (api.rootfi.dev/v3) — https://docs.integrationlabs.co/api-reference/v3/core/webhooks/create-webhooks
import type { RemoteWebhook, WebhookSpec } from '../../domain/webhook.js';
import { credentialsObject, headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import type { Connector, ConnectorContext } from '../types.js';
import { rootfiEventTypes } from './catalog.js';
import { createRootfiClient, type RootfiCredentials } from './client.js';
import { toRemoteWebhook } from './map.js';
import { normalizeRootfiDelivery } from './normalize.js';
import { pairGroups, planHooks, toWebhookFields } from './plan.js';
import { verifyRootfiDelivery } from './verify.js';

function createRootfiConnector(ctx: ConnectorContext<RootfiCredentials>): Connector {
  const client = createRootfiClient(ctx);
  const list = async () => (await client.list()).map(toRemoteWebhook);
  const create = async (group: readonly string[], spec: WebhookSpec) => toRemoteWebhook(await client.create(toWebhookFields(group, spec)));

  /** Removes hooks made by a call that then failed, so no half-registered webhook stays behind. */
  async function rollback(created: readonly RemoteWebhook[]): Promise<void> {
    for (const hook of created) await client.remove(hook.externalId).catch(() => undefined);
  }

  return {
    async verifyCredentials() {
      // v3 has no "me" endpoint; the parameterless list is the cheapest authenticated call.
      await client.list();
    },

    listWebhooks: list,

    async createWebhook(spec) {
      const created: RemoteWebhook[] = [];
      try {
        for (const group of planHooks(spec.events)) created.push(await create(group, spec));
      } catch (error) {
        await rollback(created);
        throw error;
      }
      return created;
    },

    async updateWebhook(externalIds, spec) {
      const groups = planHooks(spec.events);
      // No get-one in v3: the list tells which owned hooks still exist and what they subscribe to.
      const owned = (await list()).filter((h) => externalIds.includes(h.externalId));
      const plan = pairGroups(groups, owned);
      // Creates first, since only they can be undone if a later call fails.
      const created = new Map<readonly string[], RemoteWebhook>();
      const updated = new Map<readonly string[], RemoteWebhook>();
      try {
        for (const group of plan.create) created.set(group, await create(group, spec));
        for (const { group, hook } of plan.update) {
          updated.set(group, toRemoteWebhook(await client.update(hook.externalId, toWebhookFields(group, spec))));
        }
      } catch (error) {
        await rollback([...created.values()]);
        throw error;
      }
      // Deletes last: by now every requested event is registered, so a failure here over-delivers, never under-delivers.
      for (const hook of plan.remove) await client.remove(hook.externalId);
      return groups.map((g) => created.get(g) ?? updated.get(g)).filter((h): h is RemoteWebhook => h !== undefined);
    },

    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
  };
}

export const rootfiProvider = defineProvider<RootfiCredentials>({
  key: 'ROOTFI',
  name: 'RootFi',
  apiVersion: 'v3',
  docsUrl: 'https://docs.integrationlabs.co/api-reference/v3/core/webhooks/create-webhooks',
  defaultBaseUrl: 'https://api.rootfi.dev',
  hosts: ['api.rootfi.dev', 'api.sa.rootfi.dev'],
  eventTypes: rootfiEventTypes,
  facts: { multipleEventsPerWebhook: true, updateInPlace: true, signedDeliveries: false, reportsStatus: false },
  unsupported: {
    sendTestEvent: 'RootFi has no test delivery endpoint',
    // v3 webhooks have no state; v4's ENABLED/DISABLED lives on another API (VENDORS.md §4.2).
    setEnabled: 'RootFi v3 webhooks cannot be paused; delete the webhook instead',
  },
  credentials: credentialsObject({ apiKey: headerToken() }),
  createConnector: createRootfiConnector,
  verifyDelivery: verifyRootfiDelivery,
  normalize: normalizeRootfiDelivery,
});
