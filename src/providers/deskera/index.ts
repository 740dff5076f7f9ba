// Deskera Books/Sales webhooks API v1 — https://deskera.github.io/Developer-Documentation/docs/books/webhook
import { UnsupportedError, ValidationError } from '../../domain/errors.js';
import type { RemoteWebhook } from '../../domain/webhook.js';
import type { Connector, ConnectorContext, ProviderDefinition } from '../types.js';
import { deskeraEventTypes } from './catalog.js';
import { createDeskeraClient, type DeskeraCredentials } from './client.js';
import { normalizeDeskeraDelivery, toRemoteWebhook } from './map.js';
import { deskeraSignsDeliveries } from './verify.js';

function parseCredentials(input: unknown): DeskeraCredentials {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const field of ['clientId', 'clientSecret', 'accessToken', 'refreshToken'] as const) {
    const v = o[field];
    if (typeof v !== 'string' || v.trim() === '')
      throw new ValidationError(`Deskera needs a non-empty ${field}`, `credentials.deskera.${field}`);
    if (/[\r\n\0]/.test(v)) throw new ValidationError(`Deskera ${field} contains control characters`, `credentials.deskera.${field}`);
    out[field] = v.trim();
  }
  return out as unknown as DeskeraCredentials;
}

/** Deskera takes one eventType per registration: one hookgraph webhook with N events owns N hooks. */
function createDeskeraConnector(ctx: ConnectorContext<DeskeraCredentials>): Connector {
  const client = createDeskeraClient(ctx);

  async function registerAll(events: readonly string[], url: string): Promise<RemoteWebhook[]> {
    const created: RemoteWebhook[] = [];
    try {
      for (const event of events) created.push(toRemoteWebhook(await client.register(event, url)));
    } catch (error) {
      // All or nothing: a half-registered webhook would silently miss events.
      for (const hook of created) await client.deregister(hook.externalId).catch(() => undefined);
      throw error;
    }
    return created;
  }

  async function owned(externalIds: readonly string[]): Promise<RemoteWebhook[]> {
    return (await client.list()).map(toRemoteWebhook).filter((h) => externalIds.includes(h.externalId));
  }

  return {
    verifyCredentials: () => client.validate(),
    listWebhooks: async () => (await client.list()).map(toRemoteWebhook),
    createWebhook: (spec) => registerAll(spec.events, spec.url),
    async updateWebhook(externalIds, spec) {
      // No update endpoint: keep the hooks that still match, register the missing events, then drop the rest.
      const current = (await owned(externalIds)).filter((h) => h.status !== 'DELETED');
      const keep = current.filter((h) => h.url === spec.url && spec.events.includes(h.events[0] as string));
      const kept = new Set(keep.map((h) => h.events[0]));
      const added = await registerAll(
        spec.events.filter((e) => !kept.has(e)),
        spec.url,
      );
      for (const h of current) if (!keep.includes(h)) await client.deregister(h.externalId);
      return [...keep, ...added];
    },
    async deleteWebhook(externalIds) {
      for (const id of externalIds) await client.deregister(id);
    },
    async sendTestEvent() {
      throw new UnsupportedError('Deskera has no test delivery endpoint');
    },
    async getWebhook(externalId) {
      return (await client.list()).map(toRemoteWebhook).find((h) => h.externalId === externalId) ?? null;
    },
    async setEnabled() {
      throw new UnsupportedError('Deskera hooks cannot be paused; delete the webhook instead');
    },
  };
}

export const deskeraProvider: ProviderDefinition<DeskeraCredentials> = {
  key: 'DESKERA',
  name: 'Deskera',
  apiVersion: 'v1',
  docsUrl: 'https://deskera.github.io/Developer-Documentation/docs/books/webhook',
  defaultBaseUrl: 'https://bifrost.deskera.com',
  eventTypes: deskeraEventTypes,
  capabilities: {
    multipleEventsPerWebhook: false,
    updateInPlace: false,
    getOne: false,
    testEndpoint: false,
    signedDeliveries: deskeraSignsDeliveries,
    reportsStatus: true,
  },
  parseCredentials,
  createConnector: createDeskeraConnector,
  normalize: normalizeDeskeraDelivery,
};
