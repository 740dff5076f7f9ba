// Paybook Sync (Syncfy) webhooks API v1 — https://github.com/Paybook/code-samples/tree/master/webhooks
import type { WebhookSpec } from '../../domain/webhook.js';
import { credentialsObject, headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import { SECRET_HEADER } from '../secret-header.js';
import type { Connector, ConnectorContext } from '../types.js';
import { paybookEventTypes } from './catalog.js';
import { createPaybookClient, type PaybookCredentials } from './client.js';
import { toRemoteWebhook } from './map.js';
import { normalizePaybookDelivery } from './normalize.js';
import { verifyPaybookDelivery } from './verify.js';
import type { PaybookCreateBody } from './wire.js';

/** id_user is omitted (all users of the key); delay 0 (notify at once). */
const createBody = (spec: WebhookSpec): PaybookCreateBody => ({
  url: spec.url,
  events: spec.events,
  delay: 0,
  headers: { [SECRET_HEADER]: spec.secret },
});

function createPaybookConnector(ctx: ConnectorContext<PaybookCredentials>): Connector {
  const client = createPaybookClient(ctx);
  return {
    async verifyCredentials() {
      await client.list();
    },
    listWebhooks: async () => (await client.list()).map(toRemoteWebhook),
    createWebhook: async (spec) => [toRemoteWebhook(await client.create(createBody(spec)))],
    async updateWebhook(externalIds, spec) {
      // V1 has no update: create the new hook first so no event is lost, then delete the old ones.
      const created = toRemoteWebhook(await client.create(createBody(spec)));
      for (const id of externalIds) await client.remove(id);
      return [created];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
  };
}

export const paybookProvider = defineProvider<PaybookCredentials>({
  key: 'PAYBOOK',
  name: 'Paybook Sync',
  apiVersion: 'v1',
  docsUrl: 'https://github.com/Paybook/code-samples/tree/master/webhooks',
  defaultBaseUrl: 'https://sync.paybook.com',
  // The host moved to api.syncfy.com; both answer.
  hosts: ['sync.paybook.com', 'api.syncfy.com'],
  eventTypes: paybookEventTypes,
  facts: { multipleEventsPerWebhook: true, updateInPlace: false, signedDeliveries: false, reportsStatus: true },
  unsupported: {
    sendTestEvent: 'Paybook has no test delivery endpoint',
    setEnabled: 'Paybook V1 webhooks cannot be paused through the API',
  },
  // The key is an auth-param of `Authorization: api_key api_key=<key>`, where a comma would start another.
  credentials: credentialsObject({ apiKey: headerToken(/[\r\n\0,]/) }),
  createConnector: createPaybookConnector,
  verifyDelivery: verifyPaybookDelivery,
  normalize: normalizePaybookDelivery,
});
