// Deskera Books/Sales webhooks API v1 — https://deskera.github.io/Developer-Documentation/docs/books/webhook
import { taggedDeliveryUrl } from '../../domain/delivery-url.js';
import type { RemoteWebhook } from '../../domain/webhook.js';
import { credentialsObject, headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import type { Connector, ConnectorContext } from '../types.js';
import { deskeraEventTypes } from './catalog.js';
import { createDeskeraClient, type DeskeraCredentials } from './client.js';
import { toRemoteWebhook } from './map.js';
import { normalizeDeskeraDelivery } from './normalize.js';
import { deskeraSignsDeliveries } from './verify.js';

/**
 * Each of a webhook's hooks delivers to its own URL, tagged with its event code, since Deskera's
 * delivery bodies do not always name their event (VENDORS.md §1.3): the normalizer reads it off the tag.
 */
const hookUrl = (url: string, event: string) => taggedDeliveryUrl(url, event);

/** Deskera takes one eventType per registration: one hookgraph webhook with N events owns N hooks. */
function createDeskeraConnector(ctx: ConnectorContext<DeskeraCredentials>): Connector {
  const client = createDeskeraClient(ctx);

  async function registerAll(events: readonly string[], url: string): Promise<RemoteWebhook[]> {
    const created: RemoteWebhook[] = [];
    try {
      for (const event of events) created.push(toRemoteWebhook(await client.register(event, hookUrl(url, event))));
    } catch (error) {
      // All or nothing: a half-registered webhook would silently miss events.
      for (const hook of created) await client.deregister(hook.externalId).catch(() => undefined);
      throw error;
    }
    return created;
  }

  async function owned(externalIds: readonly string[]): Promise<RemoteWebhook[]> {
    return (await client.list()).map(toRemoteWebhook).filter((h) => externalIds.includes(h.externalId));
  }

  return {
    verifyCredentials: () => client.validate(),
    listWebhooks: async () => (await client.list()).map(toRemoteWebhook),
    createWebhook: (spec) => registerAll(spec.events, spec.url),
    async updateWebhook(externalIds, spec) {
      // No update endpoint: keep the hooks that still match, register the missing events, then drop the rest.
      // A hook at the untagged URL (registered before hooks were tagged) is replaced by a tagged one.
      const current = (await owned(externalIds)).filter((h) => h.status !== 'DELETED');
      const keep = current.filter((h) => {
        const event = h.events[0] as string;
        return spec.events.includes(event) && h.url === hookUrl(spec.url, event);
      });
      const kept = new Set(keep.map((h) => h.events[0]));
      const added = await registerAll(
        spec.events.filter((e) => !kept.has(e)),
        spec.url,
      );
      for (const h of current) if (!keep.includes(h)) await client.deregister(h.externalId);
      return [...keep, ...added];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.deregister(id);
    },
  };
}

export const deskeraProvider = defineProvider<DeskeraCredentials>({
  key: 'DESKERA',
  name: 'Deskera',
  apiVersion: 'v1',
  docsUrl: 'https://deskera.github.io/Developer-Documentation/docs/books/webhook',
  defaultBaseUrl: 'https://bifrost.deskera.com',
  hosts: ['bifrost.deskera.com', 'bifrost-us.deskera.com', 'api-staging.deskera.xyz'],
  eventTypes: deskeraEventTypes,
  facts: { multipleEventsPerWebhook: false, updateInPlace: false, signedDeliveries: deskeraSignsDeliveries, reportsStatus: true },
  unsupported: {
    sendTestEvent: 'Deskera has no test delivery endpoint',
    setEnabled: 'Deskera hooks cannot be paused; delete the webhook instead',
  },
  credentials: credentialsObject({
    clientId: headerToken(),
    clientSecret: headerToken(),
    accessToken: headerToken(),
    refreshToken: headerToken(),
  }),
  createConnector: createDeskeraConnector,
  normalize: normalizeDeskeraDelivery,
});
