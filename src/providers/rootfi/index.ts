// RootFi v3 core webhooks API (api.rootfi.dev/v3) — https://docs.integrationlabs.co/api-reference/v3/core/webhooks/create-webhooks
import { UnsupportedError, ValidationError } from '../../domain/errors.js';
import type { RemoteWebhook } from '../../domain/webhook.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { rootfiEventTypes } from './catalog.js';
import { createRootfiClient, type RootfiCredentials } from './client.js';
import { normalizeDelivery, pairGroups, planHooks } from './map.js';
import { verifyRootfiDelivery } from './verify.js';

function parseCredentials(input: unknown): RootfiCredentials {
  const apiKey = typeof input === 'object' && input !== null ? (input as { apiKey?: unknown }).apiKey : undefined;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new ValidationError('RootFi needs a non-empty apiKey', 'apiKey');
  // The key travels as a header value; control characters would break or inject headers.
  if (/[\r\n\0]/.test(apiKey)) throw new ValidationError('the RootFi apiKey contains control characters', 'apiKey');
  return { apiKey: apiKey.trim() };
}

function createRootfiConnector(ctx: ConnectorContext<RootfiCredentials>): Connector {
  const client = createRootfiClient(ctx);

  /** Removes hooks made by a call that then failed, so no half-registered webhook stays behind. */
  async function rollback(created: readonly RemoteWebhook[]): Promise<void> {
    for (const hook of created) await client.remove(hook.externalId).catch(() => undefined);
  }

  return {
    async verifyCredentials() {
      // v3 has no "me" endpoint; the parameterless list is the cheapest authenticated call.
      await client.list();
    },

    listWebhooks: () => client.list(),

    async createWebhook(spec) {
      const created: RemoteWebhook[] = [];
      try {
        for (const group of planHooks(spec.events)) created.push(await client.create(group, spec));
      } catch (error) {
        await rollback(created);
        throw error;
      }
      return created;
    },

    async updateWebhook(externalIds, spec) {
      const groups = planHooks(spec.events);
      // No get-one in v3: the list tells which owned hooks still exist and what they subscribe to.
      const owned = (await client.list()).filter((h) => externalIds.includes(h.externalId));
      const plan = pairGroups(groups, owned);
      // Creates first, since only they can be undone if a later call fails.
      const created = new Map<readonly string[], RemoteWebhook>();
      const updated = new Map<readonly string[], RemoteWebhook>();
      try {
        for (const group of plan.create) created.set(group, await client.create(group, spec));
        for (const { group, hook } of plan.update) updated.set(group, await client.update(hook.externalId, group, spec));
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

    async sendTestEvent() {
      throw new UnsupportedError('RootFi has no test delivery endpoint');
    },

    async getWebhook(externalId) {
      return (await client.list()).find((h) => h.externalId === externalId) ?? null;
    },

    async setEnabled() {
      // v3 webhooks have no state; v4's ENABLED/DISABLED lives on another API (VENDORS.md §4.2).
      throw new UnsupportedError('RootFi v3 webhooks cannot be paused; delete the webhook instead');
    },
  };
}

export const rootfiProvider: ProviderDefinition<RootfiCredentials> = {
  key: 'ROOTFI',
  name: 'RootFi',
  apiVersion: 'v3',
  docsUrl: 'https://docs.integrationlabs.co/api-reference/v3/core/webhooks/create-webhooks',
  defaultBaseUrl: 'https://api.rootfi.dev',
  eventTypes: rootfiEventTypes,
  capabilities: {
    multipleEventsPerWebhook: true,
    updateInPlace: true,
    getOne: false,
    testEndpoint: false,
    signedDeliveries: false,
    reportsStatus: false,
  },
  parseCredentials,
  createConnector: createRootfiConnector,
  verifyDelivery: verifyRootfiDelivery,
  normalize: ({ body, maxEvents }) => normalizeDelivery(body, { maxEvents }),
};
