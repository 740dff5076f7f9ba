// SuperOffice CRM Online REST API v1, Webhook agent — https://docs.superoffice.com/en/api/reference/restful/rest/Webhook/index.html
import { ProviderError, ValidationError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import { isObject } from '../json.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { superofficeEventTypes } from './catalog.js';
import { createSuperofficeClient, type SuperofficeCredentials } from './client.js';
import { normalizeSuperofficeDelivery, toRemoteWebhook } from './map.js';
import { verifySuperofficeDelivery } from './verify.js';
import type { SuperofficeWebhookBody } from './wire.js';

/** Takes the GraphQL @oneOf shape `{accessToken}` | `{ticket: {ticket, appToken}}`, or the flat stored one. */
function parseCredentials(input: unknown): SuperofficeCredentials {
  const o = isObject(input) ? input : {};
  const ticket = isObject(o['ticket']) ? o['ticket'] : { ticket: o['ticket'], appToken: o['appToken'] };
  const ok = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && !/[\r\n\0]/.test(v);
  if (ok(o['accessToken']) && o['ticket'] == null) return { accessToken: o['accessToken'].trim() };
  if (o['accessToken'] == null && ok(ticket['ticket']) && ok(ticket['appToken']))
    return { ticket: ticket['ticket'].trim(), appToken: ticket['appToken'].trim() };
  throw new ValidationError('SuperOffice needs either an accessToken, or a ticket with an appToken', 'credentials.superoffice');
}

/** Secret is always set, so every delivery is signed (VENDORS.md §6.4). */
const body = (spec: WebhookSpec): SuperofficeWebhookBody => ({
  Name: spec.name,
  Events: spec.events,
  TargetUrl: spec.url,
  Secret: spec.secret,
  State: 'Active',
  Type: 'webhook',
  Headers: {},
  Properties: {},
});

function createSuperofficeConnector(ctx: ConnectorContext<SuperofficeCredentials>): Connector {
  const client = createSuperofficeClient(ctx);
  return {
    verifyCredentials: () => client.defaults(),
    listWebhooks: async () => (await client.list()).map(toRemoteWebhook),
    createWebhook: async (spec) => [toRemoteWebhook(await client.create(body(spec)))],
    async updateWebhook(externalIds, spec) {
      const [id, ...extra] = externalIds;
      const hook = id ? await client.replace(id, body(spec)) : await client.create(body(spec));
      for (const x of extra) await client.remove(x);
      return [toRemoteWebhook(hook)];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
    async sendTestEvent(_externalIds, spec) {
      const result = await client.test(body(spec));
      // The vendor's Message echoes the receiver's response: never pass it on.
      if (!result.Success)
        throw new ProviderError('SUPEROFFICE could not deliver the test event to the webhook URL', {
          provider: 'SUPEROFFICE',
          status: 200,
        });
    },
    async getWebhook(externalId) {
      const hook = await client.get(externalId);
      return hook ? toRemoteWebhook(hook) : null;
    },
    async setEnabled(externalIds, enabled) {
      const out = [];
      for (const id of externalIds) out.push(toRemoteWebhook(await client.setState(id, enabled ? 'Active' : 'Stopped')));
      return out;
    },
  };
}

export const superofficeProvider: ProviderDefinition<SuperofficeCredentials> = {
  key: 'SUPEROFFICE',
  name: 'SuperOffice',
  apiVersion: 'REST v1',
  docsUrl: 'https://docs.superoffice.com/en/api/reference/restful/rest/Webhook/index.html',
  defaultBaseUrl: null,
  eventTypes: superofficeEventTypes,
  capabilities: {
    multipleEventsPerWebhook: true,
    updateInPlace: true,
    getOne: true,
    testEndpoint: true,
    signedDeliveries: true,
    reportsStatus: true,
  },
  parseCredentials,
  createConnector: createSuperofficeConnector,
  verifyDelivery: verifySuperofficeDelivery,
  normalize: normalizeSuperofficeDelivery,
};
