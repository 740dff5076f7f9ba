// Booqable API v4 (and the older /api/boomerang) webhook endpoints — https://developers.booqable.com/#webhook-endpoints
import { UnsupportedError, ValidationError } from '../../domain/errors.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { booqableEventTypes } from './catalog.js';
import { type BooqableCredentials, createBooqableClient } from './client.js';
import { normalizeBooqableDelivery, toRemoteWebhook } from './map.js';

const PAGE_SIZE = 100;

function parseCredentials(input: unknown): BooqableCredentials {
  const apiKey = typeof input === 'object' && input !== null ? (input as { apiKey?: unknown }).apiKey : undefined;
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new ValidationError('Booqable needs a non-empty apiKey', 'credentials.booqable.apiKey');
  if (/[\r\n\0]/.test(apiKey)) throw new ValidationError('the Booqable apiKey contains control characters', 'credentials.booqable.apiKey');
  return { apiKey: apiKey.trim() };
}

function createBooqableConnector(ctx: ConnectorContext<BooqableCredentials>): Connector {
  const client = createBooqableClient(ctx);
  const checkVersion = (v: string | null) => {
    if (v !== null && v !== '1' && v !== '4')
      throw new ValidationError('Booqable payloadVersion is "1" (form-encoded) or "4" (JSON)', 'payloadVersion');
    if (v === '4' && client.legacy) throw new ValidationError('/api/boomerang endpoints deliver version 1 only', 'payloadVersion');
  };

  async function listAll() {
    const all = [];
    for (let page = 1; ; page++) {
      const batch = await client.list({ page: { number: page, size: PAGE_SIZE }, sort: 'created_at' });
      all.push(...batch);
      if (batch.length < PAGE_SIZE) return all;
    }
  }

  return {
    async verifyCredentials() {
      await client.list({ page: { size: 1 } });
    },
    listWebhooks: async () => (await listAll()).map(toRemoteWebhook),
    async createWebhook(spec) {
      checkVersion(spec.payloadVersion);
      return [toRemoteWebhook(await client.create(spec.url, spec.events, spec.payloadVersion))];
    },
    async updateWebhook(externalIds, spec) {
      checkVersion(spec.payloadVersion);
      const [id, ...extra] = externalIds;
      if (!id) return [toRemoteWebhook(await client.create(spec.url, spec.events, spec.payloadVersion))];
      const updated = toRemoteWebhook(await client.update(id, spec.url, spec.events, spec.payloadVersion));
      for (const x of extra) await client.remove(x);
      return [updated];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
    async sendTestEvent() {
      throw new UnsupportedError('Booqable has no test delivery endpoint');
    },
    async getWebhook(externalId) {
      // No get-one endpoint for webhook_endpoints: filter the list by id (VENDORS.md §2.1).
      const [hook] = await client.list({ filter: { id: { eq: externalId } } });
      return hook ? toRemoteWebhook(hook) : null;
    },
    async setEnabled() {
      throw new UnsupportedError('Booqable webhook endpoints have no state to pause');
    },
  };
}

export const booqableProvider: ProviderDefinition<BooqableCredentials> = {
  key: 'BOOQABLE',
  name: 'Booqable',
  apiVersion: '4 (and boomerang)',
  docsUrl: 'https://developers.booqable.com/#webhook-endpoints',
  defaultBaseUrl: null,
  eventTypes: booqableEventTypes,
  capabilities: {
    multipleEventsPerWebhook: true,
    updateInPlace: true,
    getOne: false,
    testEndpoint: false,
    signedDeliveries: false,
    reportsStatus: false,
  },
  parseCredentials,
  createConnector: createBooqableConnector,
  normalize: normalizeBooqableDelivery,
};
