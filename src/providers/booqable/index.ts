// Booqable API 4 (`/api/4`, and the seed's `/api/boomerang`) webhook endpoints — https://developers.booqable.com/#webhook-endpoints
import { ValidationError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import { credentialsObject, headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import type { Connector, ConnectorContext } from '../types.js';
import { booqableEventTypes } from './catalog.js';
import { type BooqableCredentials, createBooqableClient } from './client.js';
import { toRemoteWebhook } from './map.js';
import { normalizeBooqableDelivery } from './normalize.js';
import { booqableSignsDeliveries } from './verify.js';
import type { BooqableEndpointAttributesIn, BooqablePayloadVersion } from './wire.js';

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
    async listWebhooks(filter) {
      // There is no GET /webhook_endpoints/{id}: one endpoint is the list filtered on its id (VENDORS.md §6.3).
      const hooks = filter ? await client.list({ filter: { id: { eq: filter.externalId } } }) : await client.listAll();
      return hooks.map(toRemoteWebhook);
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
  };
}

export const booqableProvider = defineProvider<BooqableCredentials>({
  key: 'BOOQABLE',
  name: 'Booqable',
  apiVersion: '4 (also /api/boomerang)',
  docsUrl: 'https://developers.booqable.com/#webhook-endpoints',
  defaultBaseUrl: null,
  hosts: ['*.booqable.com'],
  eventTypes: booqableEventTypes,
  facts: { multipleEventsPerWebhook: true, updateInPlace: true, signedDeliveries: booqableSignsDeliveries, reportsStatus: false },
  unsupported: {
    sendTestEvent: 'Booqable has no test delivery endpoint',
    setEnabled: 'Booqable webhook endpoints have no state to pause or resume',
  },
  credentials: credentialsObject({ apiKey: headerToken() }),
  createConnector: createBooqableConnector,
  normalize: normalizeBooqableDelivery,
});
