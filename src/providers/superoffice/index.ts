// SuperOffice CRM Online REST API v1, Webhook agent — https://docs.superoffice.com/en/api/reference/restful/rest/Webhook/index.html
import { z } from 'zod/v4';
import { ProviderError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import { headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import type { Connector, ConnectorContext } from '../types.js';
import { superofficeEventTypes } from './catalog.js';
import { createSuperofficeClient, type SuperofficeCredentials } from './client.js';
import { toRemoteWebhook } from './map.js';
import { normalizeSuperofficeDelivery } from './normalize.js';
import { verifySuperofficeDelivery } from './verify.js';
import type { SuperofficeWebhookBody } from './wire.js';

const absent = z.null().optional();

/** The GraphQL @oneOf shape `{accessToken}` | `{ticket: {ticket, appToken}}`, or the flat stored one. */
const credentials: z.ZodType<SuperofficeCredentials> = z.union(
  [
    z.object({ accessToken: headerToken(), ticket: absent }).transform(({ accessToken }) => ({ accessToken })),
    z
      .object({ accessToken: absent, ticket: z.object({ ticket: headerToken(), appToken: headerToken() }) })
      .transform(({ ticket }) => ticket),
    z
      .object({ accessToken: absent, ticket: headerToken(), appToken: headerToken() })
      .transform(({ ticket, appToken }) => ({ ticket, appToken })),
  ],
  { error: 'needs either an accessToken, or a ticket with an appToken' },
);

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

export const superofficeProvider = defineProvider<SuperofficeCredentials>({
  key: 'SUPEROFFICE',
  name: 'SuperOffice',
  apiVersion: 'REST v1',
  docsUrl: 'https://docs.superoffice.com/en/api/reference/restful/rest/Webhook/index.html',
  defaultBaseUrl: null,
  hosts: ['*.superoffice.com'],
  eventTypes: superofficeEventTypes,
  facts: { multipleEventsPerWebhook: true, updateInPlace: true, signedDeliveries: true, reportsStatus: true },
  unsupported: {},
  credentials,
  createConnector: createSuperofficeConnector,
  verifyDelivery: verifySuperofficeDelivery,
  normalize: normalizeSuperofficeDelivery,
});
