import { webhookIdOfDeliveryUrl } from '../domain/delivery-url.js';
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { type RemoteWebhook, WebhookStatus } from '../domain/webhook.js';
import { requireMethod } from '../providers/connector.js';
import { getProvider } from '../providers/registry.js';
import type { StoredWebhook } from '../domain/webhook.js';
import type { Store } from '../store/store.js';
import type { ConnectionManager } from './connections.js';

export interface CreateWebhookInput {
  provider: ProviderKey;
  events: readonly string[];
  name?: string | null;
  payloadVersion?: string | null;
}

export interface UpdateWebhookInput {
  events?: readonly string[] | null;
  name?: string | null;
  enabled?: boolean | null;
}

export interface SyncReport {
  provider: ProviderKey;
  /** Vendor hooks pointing at one of our delivery URLs that our records had lost: re-attached. */
  adopted: StoredWebhook[];
  /** Our webhooks whose vendor hooks are all gone: marked DELETED. */
  deleted: StoredWebhook[];
  /** Our webhooks that differ from the vendor (some hooks missing, events or status changed). */
  drifted: Array<{ webhook: StoredWebhook; reason: string }>;
  /** Vendor hooks that point elsewhere: reported, never touched. */
  unmanaged: RemoteWebhook[];
}

/** The worst status among a webhook's vendor hooks decides the webhook's status. */
export function combineStatus(statuses: readonly WebhookStatus[]): WebhookStatus {
  const order: WebhookStatus[] = [
    WebhookStatus.FAILING,
    WebhookStatus.DISABLED,
    WebhookStatus.UNKNOWN,
    WebhookStatus.ACTIVE,
    WebhookStatus.DELETED,
  ];
  if (statuses.length === 0) return WebhookStatus.DELETED;
  if (statuses.every((s) => s === WebhookStatus.DELETED)) return WebhookStatus.DELETED;
  return order.find((s) => statuses.includes(s)) ?? WebhookStatus.UNKNOWN;
}

/** The manage job: one hookgraph Webhook ↔ one or more vendor registrations. */
export function createWebhookManager({
  store,
  connections,
  deliveryUrl,
  testFallback = null,
}: {
  store: Store;
  connections: ConnectionManager;
  deliveryUrl(webhookId: string, token: string): string;
  /** Sends a test where the vendor has no test endpoint (the sandbox); null → UnsupportedError. */
  testFallback?: ((tenantId: string, webhook: StoredWebhook) => Promise<void>) | null;
}) {
  function validateEvents(provider: ProviderKey, events: readonly string[]): string[] {
    const def = getProvider(provider);
    if (events.length === 0) throw new ValidationError('events must name at least one event type', 'events');
    const known = new Set(def.eventTypes.map((t) => t.name));
    const unknown = events.filter((e) => !known.has(e));
    if (unknown.length > 0) {
      throw new ValidationError(
        `not in ${def.name}'s event catalogue: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
        'events',
      );
    }
    return [...new Set(events)];
  }

  function validateName(name: string | null | undefined, fallback: string): string {
    const n = (name ?? fallback).trim();
    if (n.length === 0 || n.length > 200) throw new ValidationError('name must be 1 to 200 characters', 'name');
    return n;
  }

  async function specFor(w: StoredWebhook, events: string[], name: string) {
    const secrets = await store.webhooks.secrets(w.tenantId, w.id);
    if (!secrets) throw new NotFoundError(`webhook ${w.id} not found`);
    return { url: deliveryUrl(w.id, secrets.token), events, name, secret: secrets.secret, payloadVersion: w.payloadVersion };
  }

  async function getLive(tenantId: string, id: string): Promise<StoredWebhook> {
    const w = await store.webhooks.get(tenantId, id);
    if (!w || w.deletedAt) throw new NotFoundError(`webhook ${id} not found`);
    return w;
  }

  return {
    async create(tenantId: string, input: CreateWebhookInput): Promise<StoredWebhook> {
      const events = validateEvents(input.provider, input.events);
      const name = validateName(input.name, `${getProvider(input.provider).name} webhook`);
      if (input.payloadVersion != null && !/^[0-9a-z.]{1,8}$/i.test(input.payloadVersion)) {
        throw new ValidationError('payloadVersion is not a version', 'payloadVersion');
      }
      const connector = await connections.connector(tenantId, input.provider);
      // Stored first so the deliveryUrl already answers: SuperOffice pings it inside its create call.
      const { webhook, token, secret } = await store.webhooks.insert(
        { id: randomUUID(), tenantId, provider: input.provider, name, events, payloadVersion: input.payloadVersion ?? null },
        WebhookStatus.UNKNOWN,
      );
      try {
        const remote = await connector.createWebhook({
          url: deliveryUrl(webhook.id, token),
          events,
          name,
          secret,
          payloadVersion: webhook.payloadVersion,
        });
        const updated = await store.webhooks.update(tenantId, webhook.id, {
          externalIds: remote.map((r) => r.externalId),
          status: combineStatus(remote.map((r) => r.status)),
        });
        return updated as StoredWebhook;
      } catch (error) {
        await store.webhooks.discard(tenantId, webhook.id);
        throw error;
      }
    },

    async update(tenantId: string, id: string, input: UpdateWebhookInput): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const events = input.events ? validateEvents(w.provider, input.events) : w.events;
      const name = input.name != null ? validateName(input.name, w.name) : w.name;
      const connector = await connections.connector(tenantId, w.provider);
      let externalIds = w.externalIds;
      let status = w.status;
      const changed = name !== w.name || events.length !== w.events.length || events.some((e) => !w.events.includes(e));
      if (changed) {
        const remote = await connector.updateWebhook(w.externalIds, await specFor(w, events, name));
        externalIds = remote.map((r) => r.externalId);
        status = combineStatus(remote.map((r) => r.status));
      }
      if (input.enabled != null) {
        const remote = await requireMethod(getProvider(w.provider), connector, 'setEnabled')(externalIds, input.enabled);
        status = combineStatus(remote.map((r) => r.status));
      }
      return (await store.webhooks.update(tenantId, id, { name, events, externalIds, status })) as StoredWebhook;
    },

    async delete(tenantId: string, id: string): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const connector = await connections.connector(tenantId, w.provider);
      await connector.deleteWebhook(w.externalIds);
      return (await store.webhooks.update(tenantId, id, { status: WebhookStatus.DELETED, deleted: true })) as StoredWebhook;
    },

    async sendTest(tenantId: string, id: string): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const connector = await connections.connector(tenantId, w.provider);
      if (!connector.sendTestEvent && testFallback) await testFallback(tenantId, w);
      else await requireMethod(getProvider(w.provider), connector, 'sendTestEvent')(w.externalIds, await specFor(w, w.events, w.name));
      return w;
    },

    /** Reconciles our records with the vendor's list. */
    async sync(tenantId: string, provider: ProviderKey): Promise<SyncReport> {
      const connector = await connections.connector(tenantId, provider);
      const remote = await connector.listWebhooks();
      const ours = await store.webhooks.list(tenantId, { provider, limit: 10_000 });
      const byExternal = new Map(remote.map((r) => [r.externalId, r]));
      const owned = new Set(ours.flatMap((w) => w.externalIds));
      const report: SyncReport = { provider, adopted: [], deleted: [], drifted: [], unmanaged: [] };

      // Vendor hooks aimed at one of our delivery URLs but not recorded (e.g. a crash mid-create).
      const orphans = new Map<string, RemoteWebhook[]>();
      for (const r of remote) {
        if (owned.has(r.externalId)) continue;
        const webhookId = webhookIdOfDeliveryUrl(r.url);
        const target = webhookId ? ours.find((w) => w.id === webhookId) : undefined;
        if (target) orphans.set(target.id, [...(orphans.get(target.id) ?? []), r]);
        else report.unmanaged.push(r);
      }

      for (const w of ours) {
        const adopted = orphans.get(w.id) ?? [];
        const present = w.externalIds.map((x) => byExternal.get(x)).filter((r): r is RemoteWebhook => r !== undefined);
        const hooks = [...present, ...adopted];
        if (hooks.length === 0) {
          report.deleted.push(
            (await store.webhooks.update(tenantId, w.id, { status: WebhookStatus.DELETED, deleted: true })) as StoredWebhook,
          );
          continue;
        }
        const status = combineStatus(hooks.map((h) => h.status));
        const externalIds = hooks.map((h) => h.externalId);
        const updated = (await store.webhooks.update(tenantId, w.id, { externalIds, status })) as StoredWebhook;
        if (adopted.length > 0) report.adopted.push(updated);
        const missing = w.externalIds.length - present.length;
        const remoteEvents = new Set(hooks.flatMap((h) => h.events));
        if (missing > 0) report.drifted.push({ webhook: updated, reason: `${missing} of ${w.externalIds.length} vendor hooks are gone` });
        else if (w.events.some((e) => !remoteEvents.has(e)) || [...remoteEvents].some((e) => !w.events.includes(e))) {
          report.drifted.push({ webhook: updated, reason: 'the vendor subscribes to different events' });
        } else if (status !== w.status) report.drifted.push({ webhook: updated, reason: `status changed from ${w.status} to ${status}` });
      }
      return report;
    },
  };
}
export type WebhookManager = ReturnType<typeof createWebhookManager>;
