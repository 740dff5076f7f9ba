// Booqable API 4 (`/api/4`, and the seed's `/api/boomerang`) webhook endpoints — https://developers.booqable.com/#webhook-endpoints
import { UnsupportedError, ValidationError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { booqableEventTypes } from './catalog.js';
import { type BooqableCredentials, createBooqableClient } from './client.js';
import { normalizeBooqableDelivery, toRemoteWebhook } from './map.js';
import { booqableSignsDeliveries } from './verify.js';
import type { BooqableEndpointAttributesIn, BooqablePayloadVersion } from './wire.js';

function parseCredentials(input: unknown): BooqableCredentials {
  const apiKey = typeof input === 'object' && input !== null ? (input as { apiKey?: unknown }).apiKey : undefined;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    throw new ValidationError('Booqable needs a non-empty apiKey', 'credentials.booqable.apiKey');
  }
  // The key goes into an HTTP header: refuse what would break or split it.
  if (/[\r\n\0]/.test(apiKey)) throw new ValidationError('the Booqable apiKey contains control characters', 'credentials.booqable.apiKey');
  return { apiKey: apiKey.trim() };
}

function createBooqableConnector(ctx: ConnectorContext<BooqableCredentials>): Connector {
  const client = createBooqableClient(ctx);

  /**
   * `/api/4` endpoints choose their payload format (`version` 1 = form, 4 = JSON; hookgraph's default
   * is 4); `/api/boomerang` has no version attribute and delivers v1 (VENDORS.md §2.1, §2.3).
   */
  function attributes(spec: WebhookSpec): BooqableEndpointAttributesIn {
    const wanted = spec.payloadVersion ?? (client.apiPath === '4' ? '4' : '1');
    if (wanted !== '1' && wanted !== '4') {
      throw new ValidationError('Booqable payloadVersion is "1" (form-encoded) or "4" (JSON)', 'payloadVersion');
    }
    if (client.apiPath === 'boomerang') {
      if (wanted === '4') throw new ValidationError('Booqable /api/boomerang endpoints deliver version 1 only', 'payloadVersion');
      return { url: spec.url, events: [...spec.events] };
    }
    const version: BooqablePayloadVersion = wanted === '1' ? 1 : 4;
    return { url: spec.url, events: [...spec.events], version };
  }

  return {
    async verifyCredentials() {
      await client.list({ page: { size: 1 } });
    },
    async listWebhooks() {
      return (await client.listAll()).map(toRemoteWebhook);
    },
    async createWebhook(spec) {
      return [toRemoteWebhook(await client.create(attributes(spec)))];
    },
    async updateWebhook(externalIds, spec) {
      const attrs = attributes(spec);
      const [id, ...extra] = externalIds;
      // One hookgraph webhook owns one Booqable endpoint; stray extras (none expected) are removed.
      const hook = id === undefined ? await client.create(attrs) : await client.update(id, attrs);
      for (const x of extra) await client.remove(x);
      return [toRemoteWebhook(hook)];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
    async sendTestEvent() {
      throw new UnsupportedError('Booqable has no test delivery endpoint');
    },
    async getWebhook(externalId) {
      const hook = await client.findById(externalId);
      return hook ? toRemoteWebhook(hook) : null;
    },
    async setEnabled() {
      throw new UnsupportedError('Booqable webhook endpoints have no state to pause or resume');
    },
  };
}

export const booqableProvider: ProviderDefinition<BooqableCredentials> = {
  key: 'BOOQABLE',
  name: 'Booqable',
  apiVersion: '4 (also /api/boomerang)',
  docsUrl: 'https://developers.booqable.com/#webhook-endpoints',
  defaultBaseUrl: null,
  eventTypes: booqableEventTypes,
  capabilities: {
    multipleEventsPerWebhook: true,
    updateInPlace: true,
    getOne: false,
    testEndpoint: false,
    signedDeliveries: booqableSignsDeliveries,
    reportsStatus: false,
  },
  parseCredentials,
  createConnector: createBooqableConnector,
  normalize: normalizeBooqableDelivery,
};
