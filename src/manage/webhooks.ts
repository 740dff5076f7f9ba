import { randomUUID } from 'node:crypto';
import { webhookIdOfDeliveryUrl } from '../domain/delivery-url.js';
import { NotFoundError, ProviderError, ValidationError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { type RemoteWebhook, type StoredWebhook, type WebhookOptions, type WebhookSpec, WebhookStatus } from '../domain/webhook.js';
import { requireMethod } from '../providers/connector.js';
import { getProvider } from '../providers/registry.js';
import type { Connector } from '../providers/types.js';
import type { Store } from '../store/store.js';
import type { ConnectionManager } from './connections.js';
import type { Findings } from './findings.js';
import { combineStatus, reconcile, type SyncOptions, type SyncReport, type SyncSettings } from './sync.js';

export { combineStatus, type SyncReport } from './sync.js';

export interface CreateWebhookInput {
  provider: ProviderKey;
  events: readonly string[];
  name?: string | null;
  payloadVersion?: string | null;
  /** Vendor-specific settings; each connector validates those of its vendor. */
  options?: WebhookOptions | null;
}

export interface UpdateWebhookInput {
  events?: readonly string[] | null;
  name?: string | null;
  enabled?: boolean | null;
  /** Merged into the webhook's options: a field given (null included) replaces, one left out is kept. */
  options?: WebhookOptions | null;
}

/** Options merged: what `patch` names replaces, the rest of `current` is kept; null when nothing is left. */
function mergeOptions(current: WebhookOptions | null, patch: WebhookOptions | null | undefined): WebhookOptions | null {
  if (!patch) return current;
  const merged: WebhookOptions = { ...current, ...patch };
  for (const key of Object.keys(merged) as Array<keyof WebhookOptions>) if (merged[key] === undefined) delete merged[key];
  return Object.keys(merged).length === 0 ? null : merged;
}

/** Records a failed vendor call about a webhook in its health (hookgraph's message, never the vendor's body), then rethrows. */
async function recordingFailure<T>(store: Store, w: StoredWebhook, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError) await store.health.recordVendorFailure(w.tenantId, w.id, error.message).catch(() => {});
    throw error;
  }
}

/**
 * Live webhooks a tenant may hold. Each is a registration at a vendor (whose own limits are undocumented) and a row every
 * reconciliation reads; a tenant that needs more is better served by webhooks with more events each.
 */
export const MAX_LIVE_WEBHOOKS_PER_TENANT = 1_000;

/** The longest a rotated-out delivery token stays accepted. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * Whether a failed vendor call may have been applied anyway: a 5xx, no answer or an unreadable answer may follow the
 * vendor's write; a 4xx (other than 408) is the vendor refusing it, and our own refusals never reached the vendor.
 */
function maybeApplied(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  return error.status === null || error.status === 408 || error.status >= 500 || error.status < 400;
}

/** The manage job: one hookgraph Webhook ↔ one or more vendor registrations. */
export function createWebhookManager({
  store,
  connections,
  deliveryUrl,
  testFallback = null,
  findings = null,
  sync: syncSettings = {},
}: {
  store: Store;
  connections: ConnectionManager;
  deliveryUrl(webhookId: string, token: string): string;
  /** Sends a test where the vendor has no test endpoint (the sandbox); null → UnsupportedError. */
  testFallback?: ((tenantId: string, webhook: StoredWebhook) => Promise<void>) | null;
  /** Where reconciliation publishes what it finds (hookgraph.webhook.* events); null: nowhere. */
  findings?: Findings | null;
  sync?: SyncSettings;
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

  async function specFor(w: StoredWebhook, events: string[] = w.events, name: string = w.name): Promise<WebhookSpec> {
    const secrets = await store.webhooks.secrets(w.tenantId, w.id);
    if (!secrets) throw new NotFoundError(`webhook ${w.id} not found`);
    return {
      url: deliveryUrl(w.id, secrets.token),
      events,
      name,
      secret: secrets.secret,
      payloadVersion: w.payloadVersion,
      ...(w.options && { options: w.options }),
    };
  }

  /**
   * After a create or delete whose answer was ambiguous (5xx, no answer, garbage: the vendor may have applied it), the
   * vendor's own list decides: the hooks pointing at the webhook's delivery URL, or none. Null when the list cannot be
   * read either.
   */
  async function confirmCreate(connector: Connector, w: StoredWebhook): Promise<RemoteWebhook[] | null> {
    try {
      return (await connector.listWebhooks()).filter((r) => webhookIdOfDeliveryUrl(r.url) === w.id);
    } catch {
      return null;
    }
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
      // Two creates at once may both pass at the bound: it is a ceiling on growth, not a count to the unit.
      if ((await store.webhooks.countLive(tenantId)) >= MAX_LIVE_WEBHOOKS_PER_TENANT) {
        throw new ValidationError(`a tenant holds at most ${MAX_LIVE_WEBHOOKS_PER_TENANT} live webhooks: delete one first`);
      }
      // Stored first so the deliveryUrl already answers (SuperOffice pings it inside its create call), and PENDING until
      // the vendor confirms: a create whose answer is lost is then finished by the vendor's list, not forgotten.
      const { webhook, token, secret } = await store.webhooks.insert(
        {
          id: randomUUID(),
          tenantId,
          provider: input.provider,
          name,
          events,
          payloadVersion: input.payloadVersion ?? null,
          options: mergeOptions(null, input.options),
        },
        WebhookStatus.PENDING,
        [],
        'create',
      );
      const confirm = async (remote: RemoteWebhook[]) =>
        (await store.webhooks.update(tenantId, webhook.id, {
          externalIds: remote.map((r) => r.externalId),
          status: combineStatus(remote.map((r) => r.status)),
          pending: null,
          statusCheckedAt: new Date(),
        })) as StoredWebhook;
      try {
        return await confirm(
          await connector.createWebhook({
            url: deliveryUrl(webhook.id, token),
            events,
            name,
            secret,
            payloadVersion: webhook.payloadVersion,
            ...(webhook.options && { options: webhook.options }),
          }),
        );
      } catch (error) {
        if (!maybeApplied(error)) {
          await store.webhooks.discard(tenantId, webhook.id);
          throw error;
        }
        const found = await confirmCreate(connector, webhook);
        if (found === null) return webhook; // PENDING: reconciliation adopts it or clears it.
        if (found.length === 0) {
          await store.webhooks.discard(tenantId, webhook.id);
          throw error;
        }
        const registered = new Set(found.flatMap((r) => r.events));
        if (events.every((e) => registered.has(e)) && !found.some((r) => r.incomplete)) return confirm(found);
        // Part of it applied (one hook of several, Deskera and RootFi): finish it now, or leave it PENDING with what
        // the vendor holds for reconciliation to finish.
        try {
          return await confirm(
            await connector.updateWebhook(
              found.map((r) => r.externalId),
              await specFor(webhook),
            ),
          );
        } catch {
          return (await store.webhooks.update(tenantId, webhook.id, { externalIds: found.map((r) => r.externalId) })) as StoredWebhook;
        }
      }
    },

    async update(tenantId: string, id: string, input: UpdateWebhookInput): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const events = input.events ? validateEvents(w.provider, input.events) : w.events;
      const name = input.name != null ? validateName(input.name, w.name) : w.name;
      const options = mergeOptions(w.options, input.options);
      const connector = await connections.connector(tenantId, w.provider);
      let externalIds = w.externalIds;
      let status = w.status;
      const changed =
        name !== w.name ||
        events.length !== w.events.length ||
        events.some((e) => !w.events.includes(e)) ||
        JSON.stringify(options) !== JSON.stringify(w.options);
      if (changed) {
        const wanted = { ...w, name, events, options };
        try {
          const spec = await specFor(wanted, events, name);
          const remote = await recordingFailure(store, w, () => connector.updateWebhook(w.externalIds, spec));
          externalIds = remote.map((r) => r.externalId);
          status = combineStatus(remote.map((r) => r.status));
        } catch (error) {
          // Maybe applied, maybe in part: what is wanted is recorded as owed, and reconciliation finishes it.
          if (maybeApplied(error)) await store.webhooks.update(tenantId, id, { name, events, options, pending: 'update' });
          throw error;
        }
      }
      if (input.enabled != null) {
        const setEnabled = requireMethod(getProvider(w.provider), connector, 'setEnabled');
        const enabled = input.enabled;
        const remote = await recordingFailure(store, w, () => setEnabled(externalIds, enabled));
        status = combineStatus(remote.map((r) => r.status));
      }
      return (await store.webhooks.update(tenantId, id, {
        name,
        events,
        options,
        externalIds,
        status,
        statusCheckedAt: new Date(),
      })) as StoredWebhook;
    },

    async delete(tenantId: string, id: string): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const connector = await connections.connector(tenantId, w.provider);
      // Refused for deliveries at once, and marked as owing the vendor a delete until the vendor confirms: a delete
      // whose answer is lost (or that fails half-way through several hooks) is finished by reconciliation.
      const deleted = (await store.webhooks.update(tenantId, id, {
        status: WebhookStatus.DELETED,
        deleted: true,
        pending: 'delete',
      })) as StoredWebhook;
      try {
        await recordingFailure(store, w, () => connector.deleteWebhook(w.externalIds));
      } catch (error) {
        // Maybe applied (a lost or unreadable answer): the vendor's list decides. Nothing of it left: done.
        if (!maybeApplied(error)) throw error;
        const left = await confirmCreate(connector, w);
        if (left === null || left.length > 0) throw error;
      }
      return (await store.webhooks.update(tenantId, id, { pending: null })) ?? deleted;
    },

    /**
     * A new delivery token and secret (the SuperOffice Secret, the Paybook/RootFi secret header), registered at the
     * vendor; the old ones stay accepted for `graceSeconds` (deliveries already on their way, retries). A vendor that
     * refuses the change (4xx) leaves everything as it was; one whose answer is lost keeps both accepted, and
     * reconciliation sees the vendor's old URL as drift (and repairs it on request).
     */
    async rotate(tenantId: string, id: string, graceSeconds: number): Promise<StoredWebhook> {
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS)
        throw new ValidationError(`graceSeconds must be between 0 and ${MAX_ROTATION_GRACE_SECONDS} (7 days)`, 'graceSeconds');
      const w = await getLive(tenantId, id);
      const connector = await connections.connector(tenantId, w.provider);
      const rotated = await store.webhooks.rotate(tenantId, id, graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null);
      if (!rotated) throw new NotFoundError(`webhook ${id} not found`);
      try {
        const remote = await recordingFailure(store, w, () =>
          connector.updateWebhook(w.externalIds, {
            url: deliveryUrl(w.id, rotated.token),
            events: w.events,
            name: w.name,
            secret: rotated.secret,
            payloadVersion: w.payloadVersion,
            ...(w.options && { options: w.options }),
          }),
        );
        return (await store.webhooks.update(tenantId, id, {
          externalIds: remote.map((r) => r.externalId),
          status: combineStatus(remote.map((r) => r.status)),
          statusCheckedAt: new Date(),
        })) as StoredWebhook;
      } catch (error) {
        if (!maybeApplied(error)) await rotated.restore();
        throw error;
      }
    },

    async sendTest(tenantId: string, id: string): Promise<StoredWebhook> {
      const w = await getLive(tenantId, id);
      const connector = await connections.connector(tenantId, w.provider);
      if (!connector.sendTestEvent && testFallback) await testFallback(tenantId, w);
      else await requireMethod(getProvider(w.provider), connector, 'sendTestEvent')(w.externalIds, await specFor(w, w.events, w.name));
      return w;
    },

    /** Reconciles our records with the vendor's list (manage/sync.ts), and publishes what it found. */
    async sync(tenantId: string, provider: ProviderKey, options: SyncOptions = {}): Promise<SyncReport> {
      const connector = await connections.connector(tenantId, provider);
      const signs = getProvider(provider).capabilities.signedDeliveries;
      const { report, findings: found } = await reconcile(
        { store, specOf: (w) => specFor(w), deliveryUrlOf: (w) => deliveryUrl(w.id, store.webhooks.tokenOf(w)) },
        connector,
        tenantId,
        provider,
        options,
        syncSettings,
        signs,
      );
      await findings?.publish(found);
      return report;
    },
  };
}
export type WebhookManager = ReturnType<typeof createWebhookManager>;
