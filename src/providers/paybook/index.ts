// Paybook Sync (Syncfy) V1 webhooks and V3 subscriptions — https://github.com/Paybook/code-samples/tree/master/webhooks
import { ValidationError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import { credentialsObject, headerToken } from '../credentials.js';
import { defineProvider } from '../define-provider.js';
import { SECRET_HEADER } from '../secret-header.js';
import type { Connector, ConnectorContext } from '../types.js';
import { isPaybookV1Event, paybookEventTypes } from './catalog.js';
import { createPaybookClient, type PaybookCredentials } from './client.js';
import { subscriptionToRemote, toRemoteWebhook, V3_PREFIX } from './map.js';
import { normalizePaybookDelivery } from './normalize.js';
import { verifyPaybookDelivery } from './verify.js';
import { PAYBOOK_ENVIRONMENTS, type PaybookCreateBody, type PaybookSubscriptionBody, type PaybookWebhookWire } from './wire.js';

/**
 * The longest `delay` hookgraph asks for, in seconds. Paybook documents the field ("seconds to wait
 * before notifying", default 0) but no bound: a day is far beyond any use and keeps a typo from parking events.
 */
export const PAYBOOK_MAX_DELAY_SECONDS = 86_400;

/** Paybook's ids are 24 hex digits (ObjectIds); a user id is checked only for what could harm a request. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The API a webhook lives in: V1 webhooks (`/v1/webhooks`, the seed) or V3 subscriptions (`/v1/webhooks/subscriptions`). */
type Generation = '1' | '3';

/**
 * payloadVersion "1" (or null) registers a V1 webhook, "3" a V3 subscription: the version Paybook recommends, whose API
 * appears only in a Postman collection (VENDORS.md §3.2), so its answers are read defensively (client.ts).
 */
function generationOf(spec: WebhookSpec): Generation {
  const version = spec.payloadVersion;
  if (version === null || version === '1') return '1';
  if (version === '3') return '3';
  throw new ValidationError('Paybook payloadVersion is "1" (V1 webhooks), "3" (V3 subscriptions) or null', 'payloadVersion');
}

/** Each generation has its own event names (V1 `credential_create`, V3 `credentials.created`): a name of the other is refused. */
function checkEvents(generation: Generation, events: readonly string[]): void {
  const wrong = events.filter((e) => isPaybookV1Event(e) !== (generation === '1'));
  if (wrong.length === 0) return;
  throw new ValidationError(
    `not a Paybook V${generation} event (payloadVersion "${generation}"${generation === '1' ? ' or null' : ''}): ${wrong.slice(0, 5).join(', ')}`,
    'events',
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
  checkEvents('1', spec.events);
  if (spec.options?.environment != null)
    throw new ValidationError('Paybook environment is for V3 subscriptions (payloadVersion "3")', 'environment');
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

/** The environment a V3 subscription is for (`id_environment`, VENDORS.md §3.1); production unless asked. */
function environmentOf(spec: WebhookSpec): string {
  const name = (spec.options?.environment ?? 'production').toLowerCase();
  const id = PAYBOOK_ENVIRONMENTS.get(name);
  if (id === undefined) throw new ValidationError('Paybook environment is SANDBOX or PRODUCTION', 'environment');
  return id;
}

/**
 * The V3 subscription body. V3 takes no user, delay or custom headers (none in its API), so its deliveries are
 * authenticated by the delivery URL's token alone (verify.ts).
 */
function subscriptionBody(spec: WebhookSpec, ids: ReadonlyMap<string, string>): PaybookSubscriptionBody {
  checkEvents('3', spec.events);
  if (spec.options?.idUser != null || spec.options?.delaySeconds != null) {
    throw new ValidationError('Paybook idUser and delaySeconds are for V1 webhooks; V3 subscriptions take neither', 'options');
  }
  const missing = spec.events.filter((e) => !ids.has(e));
  if (missing.length > 0) {
    throw new ValidationError(`not in this Paybook account's V3 event catalogue: ${missing.slice(0, 5).join(', ')}`, 'events');
  }
  return {
    id_environment: environmentOf(spec),
    description: spec.name,
    events: spec.events.map((e) => ids.get(e) as string),
    group_events: 1,
    url: spec.url,
  };
}

const isV3 = (externalId: string) => externalId.startsWith(V3_PREFIX);
const v3Id = (externalId: string) => externalId.slice(V3_PREFIX.length);

function createPaybookConnector(ctx: ConnectorContext<PaybookCredentials>): Connector {
  const client = createPaybookClient(ctx);
  /** The V3 catalogue, read once per connector (one management call or reconciliation). */
  let catalogue: Promise<{ ids: Map<string, string>; names: Map<string, string> }> | null = null;
  const v3Catalogue = () => {
    catalogue ??= client.v3Catalogue().then((entries) => ({
      ids: new Map(entries.map((e) => [e.name, e.id_webhook_event])),
      names: new Map(entries.map((e) => [e.id_webhook_event, e.name])),
    }));
    return catalogue;
  };
  const remove = (externalId: string) => (isV3(externalId) ? client.removeSubscription(v3Id(externalId)) : client.remove(externalId));

  async function listSubscriptions() {
    const subscriptions = await client.listSubscriptions();
    if (subscriptions.length === 0) return [];
    const { names } = await v3Catalogue();
    return subscriptions.map((s) => subscriptionToRemote(s, names));
  }

  async function subscribe(spec: WebhookSpec) {
    const { ids, names } = await v3Catalogue();
    return subscriptionToRemote(await client.createSubscription(subscriptionBody(spec, ids)), names);
  }

  return {
    async verifyCredentials() {
      await client.list();
    },
    listWebhooks: async () => [...(await client.list()).map(toRemoteWebhook), ...(await listSubscriptions())],
    async createWebhook(spec) {
      if (generationOf(spec) === '3') return [await subscribe(spec)];
      return [toRemoteWebhook(await client.create(createBody(spec)))];
    },
    async updateWebhook(externalIds, spec) {
      if (generationOf(spec) === '3') {
        const { ids, names } = await v3Catalogue();
        const body = subscriptionBody(spec, ids); // refuses bad events and options before any vendor call
        // One subscription, updated in place (PUT); anything else (a V1 hook, several) is replaced: create, then delete.
        const [only] = externalIds;
        if (externalIds.length === 1 && only !== undefined && isV3(only)) {
          return [subscriptionToRemote(await client.updateSubscription(v3Id(only), body), names)];
        }
        const created = subscriptionToRemote(await client.createSubscription(body), names);
        for (const id of externalIds) await remove(id);
        return [created];
      }
      createBody(spec); // refuse bad options before any vendor call
      // Options the spec leaves out keep the replaced hook's values, which only the list tells (no get-one).
      const keepsSome = spec.options?.idUser === undefined || spec.options?.delaySeconds === undefined;
      const previous =
        keepsSome && externalIds.some((id) => !isV3(id))
          ? ((await client.list()).find((h) => externalIds.includes(h.id_webhook)) ?? null)
          : null;
      // V1 has no update: create the new hook first so no event is lost, then delete the old ones.
      const created = toRemoteWebhook(await client.create(createBody(spec, previous)));
      for (const id of externalIds) await remove(id);
      return [created];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await remove(id);
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
