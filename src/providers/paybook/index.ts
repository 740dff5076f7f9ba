// Paybook Sync (Syncfy) webhooks API v1 — https://github.com/Paybook/code-samples/tree/master/webhooks
import { UnsupportedError, ValidationError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { paybookEventTypes } from './catalog.js';
import { createPaybookClient, type PaybookCredentials } from './client.js';
import { normalizePaybookDelivery, toRemoteWebhook } from './map.js';
import { SECRET_HEADER } from '../secret-header.js';
import { verifyPaybookDelivery } from './verify.js';
import type { PaybookCreateBody } from './wire.js';

function parseCredentials(input: unknown): PaybookCredentials {
  const apiKey = typeof input === 'object' && input !== null ? (input as { apiKey?: unknown }).apiKey : undefined;
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new ValidationError('Paybook needs a non-empty apiKey', 'credentials.paybook.apiKey');
  if (/[\r\n\0,]/.test(apiKey))
    throw new ValidationError('the Paybook apiKey contains characters that cannot go in its header', 'credentials.paybook.apiKey');
  return { apiKey: apiKey.trim() };
}

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
    async sendTestEvent() {
      throw new UnsupportedError('Paybook has no test delivery endpoint');
    },
    async getWebhook(externalId) {
      const hook = (await client.list()).find((h) => h.id_webhook === externalId);
      return hook ? toRemoteWebhook(hook) : null;
    },
    async setEnabled() {
      throw new UnsupportedError('Paybook V1 webhooks cannot be paused through the API');
    },
  };
}

export const paybookProvider: ProviderDefinition<PaybookCredentials> = {
  key: 'PAYBOOK',
  name: 'Paybook Sync',
  apiVersion: 'v1',
  docsUrl: 'https://github.com/Paybook/code-samples/tree/master/webhooks',
  defaultBaseUrl: 'https://sync.paybook.com',
  eventTypes: paybookEventTypes,
  capabilities: {
    multipleEventsPerWebhook: true,
    updateInPlace: false,
    getOne: false,
    testEndpoint: false,
    signedDeliveries: false,
    reportsStatus: true,
  },
  parseCredentials,
  createConnector: createPaybookConnector,
  verifyDelivery: verifyPaybookDelivery,
  normalize: normalizePaybookDelivery,
};
