// Paybook Sync (Syncfy) webhooks API v1 — https://github.com/Paybook/code-samples/tree/master/webhooks
import { ValidationError } from '../../domain/errors.js';
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
import type { PaybookCreateBody, PaybookWebhookWire } from './wire.js';

/**
 * The longest `delay` hookgraph asks for, in seconds. Paybook documents the field ("seconds to wait
 * before notifying", default 0) but no bound: a day is far beyond any use and keeps a typo from parking events.
 */
export const PAYBOOK_MAX_DELAY_SECONDS = 86_400;

/** Paybook's ids are 24 hex digits (ObjectIds); a user id is checked only for what could harm a request. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * V1 is the only generation registrable through the documented API. V3 webhooks are set up in the Syncfy
 * dashboard: the V3 subscription API appears only in a Postman collection, with no documented answer
 * (not even the id field) and no custom headers, so hookgraph does not drive it (VENDORS.md §3.2).
 */
function checkPayloadVersion(version: string | null): void {
  if (version === null || version === '1') return;
  throw new ValidationError(
    version === '3'
      ? 'Paybook V3 webhooks are set up in the Syncfy dashboard, not through the API: create one there with this ' +
          `webhook's deliveryUrl and the ${SECRET_HEADER} header; payloadVersion here is "1" or null`
      : 'Paybook payloadVersion is "1" (the V1 webhooks API) or null',
    'payloadVersion',
  );
}

function userIdOf(spec: WebhookSpec): string | null | undefined {
  const idUser = spec.options?.idUser;
  if (idUser === undefined || idUser === null) return idUser;
  if (!USER_ID.test(idUser))
    throw new ValidationError('Paybook idUser is a Paybook user id (id_user): 1 to 64 letters, digits, _ or -', 'idUser');
  return idUser;
}

function delayOf(spec: WebhookSpec): number | null | undefined {
  const delay = spec.options?.delaySeconds;
  if (delay === undefined || delay === null) return delay;
  if (!Number.isSafeInteger(delay) || delay < 0 || delay > PAYBOOK_MAX_DELAY_SECONDS) {
    throw new ValidationError(`Paybook delaySeconds is a whole number of seconds from 0 to ${PAYBOOK_MAX_DELAY_SECONDS}`, 'delaySeconds');
  }
  return delay;
}

/**
 * The create body. `id_user` null subscribes to every user of the API key, `delay` 0 notifies at once
 * (the vendor's defaults); an option the spec leaves out (undefined) keeps `previous`'s value, the hook
 * an update replaces. The secret rides in a custom header Paybook adds to each notification.
 */
function createBody(spec: WebhookSpec, previous: PaybookWebhookWire | null = null): PaybookCreateBody {
  checkPayloadVersion(spec.payloadVersion);
  const idUser = userIdOf(spec);
  const delay = delayOf(spec);
  const user = idUser === undefined ? (previous?.id_user ?? null) : idUser;
  return {
    url: spec.url,
    events: spec.events,
    delay: delay === undefined ? (previous?.delay ?? 0) : (delay ?? 0),
    headers: { [SECRET_HEADER]: spec.secret },
    ...(user !== null && { id_user: user }),
  };
}

function createPaybookConnector(ctx: ConnectorContext<PaybookCredentials>): Connector {
  const client = createPaybookClient(ctx);
  return {
    async verifyCredentials() {
      await client.list();
    },
    listWebhooks: async () => (await client.list()).map(toRemoteWebhook),
    createWebhook: async (spec) => [toRemoteWebhook(await client.create(createBody(spec)))],
    async updateWebhook(externalIds, spec) {
      createBody(spec); // refuse bad options before any vendor call
      // Options the spec leaves out keep the replaced hook's values, which only the list tells (no get-one).
      const keepsSome = spec.options?.idUser === undefined || spec.options?.delaySeconds === undefined;
      const previous = keepsSome ? ((await client.list()).find((h) => externalIds.includes(h.id_webhook)) ?? null) : null;
      // V1 has no update: create the new hook first so no event is lost, then delete the old ones.
      const created = toRemoteWebhook(await client.create(createBody(spec, previous)));
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
