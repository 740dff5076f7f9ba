// SuperOffice CRM Online REST API v1, Webhook agent — https://docs.superoffice.com/en/api/reference/restful/rest/Webhook/index.html
import { ProviderError } from '../../domain/errors.js';
import type { WebhookSpec } from '../../domain/webhook.js';
import { defineProvider } from '../define-provider.js';
import type { Connector, ConnectorContext } from '../types.js';
import { superofficeEventTypes } from './catalog.js';
import { createSuperofficeClient, type SuperofficeCredentials } from './client.js';
import { superofficeCredentials } from './credentials.js';
import { toRemoteWebhook } from './map.js';
import { normalizeSuperofficeDelivery } from './normalize.js';
import { type SuperofficeOptionFields, superofficeOptions } from './options.js';
import { verifySuperofficeDelivery } from './verify.js';
import { ownStateEvents, type SuperofficePatchOp, type SuperofficeWebhookBody, type SuperofficeWebhookWire } from './wire.js';

/** Secret is always set, so every delivery is signed (VENDORS.md §6.4). Options the spec leaves out are empty. */
const body = (spec: WebhookSpec, options: SuperofficeOptionFields): SuperofficeWebhookBody => ({
  Name: spec.name,
  Events: spec.events,
  TargetUrl: spec.url,
  Secret: spec.secret,
  State: 'Active',
  Type: 'webhook',
  Headers: options.Headers ?? {},
  Properties: options.Properties ?? {},
  ErrorsEmail: options.ErrorsEmail ?? null,
});

/** The spec's events, then the hook's own state events, each once. */
const eventsOf = (spec: WebhookSpec, id: number) => [...new Set([...spec.events, ...ownStateEvents(id)])];

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
};

const sameRecord = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
};

/**
 * The JSON Patch that brings `current` to the spec: only the fields that differ. State is never in
 * it (a paused or failing hook stays so), nor are Headers, Properties and ErrorsEmail unless the
 * spec's options set them.
 */
export function patchFor(current: SuperofficeWebhookWire, spec: WebhookSpec, options: SuperofficeOptionFields): SuperofficePatchOp[] {
  const ops: SuperofficePatchOp[] = [];
  const replace = (path: string, value: unknown) => ops.push({ op: 'replace', path, value });
  if (current.Name !== spec.name) replace('/Name', spec.name);
  const events = eventsOf(spec, current.WebhookId);
  if (!sameSet(current.Events, events)) replace('/Events', events);
  if (current.TargetUrl !== spec.url) replace('/TargetUrl', spec.url);
  if (current.Secret !== spec.secret) replace('/Secret', spec.secret);
  if (options.ErrorsEmail !== undefined && options.ErrorsEmail !== current.ErrorsEmail) replace('/ErrorsEmail', options.ErrorsEmail);
  if (options.Headers !== undefined && !sameRecord(options.Headers, current.Headers)) replace('/Headers', options.Headers);
  if (options.Properties !== undefined && !sameRecord(options.Properties, current.Properties)) replace('/Properties', options.Properties);
  return ops;
}

function createSuperofficeConnector(ctx: ConnectorContext<SuperofficeCredentials>): Connector {
  const client = createSuperofficeClient(ctx);

  /**
   * Creates the hook, then subscribes it to its own state events, which need its id (state-events.md:
   * "first create a webhook to get the WebhookId"). All or nothing: a hook that would never say it
   * stopped is deleted again.
   */
  async function create(spec: WebhookSpec, options: SuperofficeOptionFields): Promise<SuperofficeWebhookWire> {
    const created = await client.create(body(spec, options));
    try {
      return await client.patch(String(created.WebhookId), [{ op: 'replace', path: '/Events', value: eventsOf(spec, created.WebhookId) }]);
    } catch (error) {
      await client.remove(String(created.WebhookId)).catch(() => undefined);
      throw error;
    }
  }

  return {
    verifyCredentials: () => client.defaults(),
    listWebhooks: async () => (await client.list()).map((h) => toRemoteWebhook(h)),
    createWebhook: async (spec) => [toRemoteWebhook(await create(spec, superofficeOptions(spec.options)))],
    async updateWebhook(externalIds, spec) {
      const options = superofficeOptions(spec.options);
      const [id, ...extra] = externalIds;
      // A hook the vendor no longer has is registered anew: the caller keeps the hooks answered.
      const current = id ? await client.get(id) : null;
      let hook: SuperofficeWebhookWire;
      if (current) {
        const ops = patchFor(current, spec, options);
        hook = ops.length ? await client.patch(String(current.WebhookId), ops) : current;
      } else {
        hook = await create(spec, options);
      }
      for (const x of extra) await client.remove(x);
      return [toRemoteWebhook(hook)];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.remove(id);
    },
    async sendTestEvent(_externalIds, spec) {
      const result = await client.test(body(spec, superofficeOptions(spec.options)));
      // The vendor's Message echoes the receiver's response: never pass it on.
      if (!result.Success)
        throw new ProviderError('SUPEROFFICE could not deliver the test event to the webhook URL', {
          provider: 'SUPEROFFICE',
          status: 200,
        });
    },
    /** One hook; a failing one (TooManyErrors) with the vendor's LastError text. */
    async getWebhook(externalId) {
      const hook = await client.get(externalId);
      if (!hook) return null;
      const mapped = toRemoteWebhook(hook);
      return mapped.status === 'FAILING' ? toRemoteWebhook(hook, await client.lastError(externalId)) : mapped;
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
  credentials: superofficeCredentials,
  createConnector: createSuperofficeConnector,
  verifyDelivery: verifySuperofficeDelivery,
  normalize: normalizeSuperofficeDelivery,
});
