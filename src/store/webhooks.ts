import type { Kysely } from 'kysely';
import { randomToken, type Sealer, sha256Hex } from '../crypto.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { StoredWebhook, WebhookOptions, WebhookStatus } from '../domain/webhook.js';
import type { Database, WebhookTable } from './tables.js';

/** What the ingest route needs to authenticate a delivery. */
export interface DeliveryTarget {
  webhook: StoredWebhook;
  tokenHash: string;
  secret: string;
  /** The token and secret before the last rotation, accepted until `until` (rotateWebhookSecret's grace); else null. */
  previous: { tokenHash: string; secret: string; until: Date } | null;
}

export interface NewWebhook {
  id: string;
  tenantId: string;
  provider: ProviderKey;
  name: string;
  events: string[];
  payloadVersion: string | null;
  options?: WebhookOptions | null;
}

/** What a change to a webhook's row may set (see update). */
export type WebhookPatch = Partial<
  Pick<
    StoredWebhook,
    | 'name'
    | 'events'
    | 'externalIds'
    | 'status'
    | 'payloadVersion'
    | 'createdAt'
    | 'options'
    | 'missingCount'
    | 'statusCheckedAt'
    | 'pending'
  >
> & {
  /** true: soft-deleted (deliveries refused); false: live again (re-adopted by reconciliation). */
  deleted?: boolean;
};

export function createWebhookStore(db: Kysely<Database>, sealer: Sealer, { targetTtlMs = 2_000 }: { targetTtlMs?: number } = {}) {
  const targets = new Map<string, { target: DeliveryTarget; expires: number }>();
  const toWebhook = (r: WebhookTable): StoredWebhook => ({
    id: r.id,
    tenantId: r.tenant_id,
    provider: r.provider as ProviderKey,
    name: r.name,
    events: JSON.parse(r.events) as string[],
    externalIds: JSON.parse(r.external_ids) as string[],
    status: r.status as WebhookStatus,
    payloadVersion: r.payload_version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    deletedAt: r.deleted_at ? new Date(r.deleted_at) : null,
    sealedToken: r.token_sealed,
    options: r.options === null ? null : (JSON.parse(r.options) as WebhookOptions),
    missingCount: r.missing_count,
    statusCheckedAt: r.status_checked_at ? new Date(r.status_checked_at) : null,
    pending: r.pending === 'create' || r.pending === 'update' || r.pending === 'delete' ? r.pending : null,
  });
  return {
    /**
     * Inserts a webhook before the vendor knows it, so its deliveryUrl already answers (SuperOffice
     * pings the URL inside its create call). Returns the fresh token and secret.
     */
    async insert(
      w: NewWebhook,
      status: WebhookStatus,
      externalIds: string[] = [],
      pending: 'create' | null = null,
    ): Promise<{ webhook: StoredWebhook; token: string; secret: string }> {
      const token = randomToken(24);
      const secret = randomToken(32);
      const now = new Date().toISOString();
      const row: WebhookTable = {
        id: w.id,
        tenant_id: w.tenantId,
        provider: w.provider,
        name: w.name,
        events: JSON.stringify(w.events),
        external_ids: JSON.stringify(externalIds),
        status,
        payload_version: w.payloadVersion,
        token_hash: sha256Hex(token),
        token_sealed: sealer.seal(token, `webhook-token:${w.id}`),
        secret_sealed: sealer.seal(secret, `webhook-secret:${w.id}`),
        created_at: now,
        updated_at: now,
        deleted_at: null,
        missing_count: 0,
        status_checked_at: null,
        options: w.options ? JSON.stringify(w.options) : null,
        pending,
        previous_token_hash: null,
        previous_secret_sealed: null,
        previous_until: null,
      };
      await db.insertInto('webhooks').values(row).execute();
      return { webhook: toWebhook(row), token, secret };
    },
    async update(tenantId: string, id: string, patch: WebhookPatch): Promise<StoredWebhook | null> {
      const now = new Date().toISOString();
      targets.delete(id);
      await db
        .updateTable('webhooks')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.events !== undefined && { events: JSON.stringify(patch.events) }),
          ...(patch.externalIds !== undefined && { external_ids: JSON.stringify(patch.externalIds) }),
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.payloadVersion !== undefined && { payload_version: patch.payloadVersion }),
          ...(patch.createdAt !== undefined && { created_at: patch.createdAt.toISOString() }),
          ...(patch.deleted === true && { deleted_at: now }),
          ...(patch.deleted === false && { deleted_at: null }),
          ...(patch.options !== undefined && { options: patch.options === null ? null : JSON.stringify(patch.options) }),
          ...(patch.missingCount !== undefined && { missing_count: patch.missingCount }),
          ...(patch.pending !== undefined && { pending: patch.pending }),
          ...(patch.statusCheckedAt !== undefined && { status_checked_at: patch.statusCheckedAt?.toISOString() ?? null }),
          // A reconciliation's bookkeeping alone (when it looked, how often it missed) is not a change of the webhook.
          ...(Object.keys(patch).some((k) => k !== 'statusCheckedAt' && k !== 'missingCount') && { updated_at: now }),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      // Evicted again: a delivery may have cached the old row while the update ran.
      targets.delete(id);
      return this.get(tenantId, id);
    },
    /** Removes a row that never reached the vendor (its create failed). */
    async discard(tenantId: string, id: string): Promise<void> {
      targets.delete(id);
      await db.deleteFrom('webhooks').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async get(tenantId: string, id: string): Promise<StoredWebhook | null> {
      const row = await db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row ? toWebhook(row) : null;
    },
    /** How many webhooks of the tenant are live (not deleted). */
    async countLive(tenantId: string): Promise<number> {
      const row = await db
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** One query for a page of ids (dataloader); unknown or foreign ids are simply absent. */
    async getMany(tenantId: string, ids: readonly string[]): Promise<StoredWebhook[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('webhooks')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toWebhook);
    },
    /**
     * Lists a tenant's webhooks, oldest first, keyset-paged by (created_at, id). Deleted ones only with
     * `includeDeleted`, or, with `pendingDeleted`, those whose delete is still to be finished at the vendor.
     */
    async list(
      tenantId: string,
      {
        provider,
        includeDeleted = false,
        pendingDeleted = false,
        after,
        limit,
      }: {
        provider?: ProviderKey | null;
        includeDeleted?: boolean;
        pendingDeleted?: boolean;
        after?: { createdAt: string; id: string } | null;
        limit: number;
      },
    ): Promise<StoredWebhook[]> {
      let q = db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId);
      if (provider) q = q.where('provider', '=', provider);
      if (!includeDeleted && pendingDeleted) q = q.where((eb) => eb.or([eb('deleted_at', 'is', null), eb('pending', 'is not', null)]));
      else if (!includeDeleted) q = q.where('deleted_at', 'is', null);
      if (after) {
        const { createdAt, id } = after;
        q = q.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
      }
      const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
      return rows.map(toWebhook);
    },
    /**
     * What the ingest route needs for one webhook. Cached for `targetTtlMs`, since every delivery asks:
     * local changes evict at once; a change made on another replica is seen within the TTL.
     */
    async deliveryTarget(id: string): Promise<DeliveryTarget | null> {
      const hit = targets.get(id);
      if (hit && hit.expires > Date.now()) return hit.target;
      const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || row.deleted_at !== null) return null;
      const previousUntil = row.previous_until ? new Date(row.previous_until) : null;
      const target: DeliveryTarget = {
        webhook: toWebhook(row),
        tokenHash: row.token_hash,
        secret: sealer.open(row.secret_sealed, `webhook-secret:${row.id}`),
        previous:
          row.previous_token_hash && row.previous_secret_sealed && previousUntil && previousUntil.getTime() > Date.now()
            ? {
                tokenHash: row.previous_token_hash,
                secret: sealer.open(row.previous_secret_sealed, `webhook-secret:${row.id}`),
                until: previousUntil,
              }
            : null,
      };
      if (targets.size >= 10_000) targets.clear();
      targets.set(id, { target, expires: Date.now() + targetTtlMs });
      return target;
    },
    /**
     * A new delivery token and secret for the webhook; the current ones are kept, accepted until `graceUntil` (null:
     * dropped at once). Returns the new pair and a way back (`restore`) for a vendor that refused the change.
     */
    async rotate(
      tenantId: string,
      id: string,
      graceUntil: Date | null,
    ): Promise<{ token: string; secret: string; restore(): Promise<void> } | null> {
      const row = await db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const token = randomToken(24);
      const secret = randomToken(32);
      const write = (values: Partial<WebhookTable>) =>
        db
          .updateTable('webhooks')
          .set({ ...values, updated_at: new Date().toISOString() })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .execute()
          .then(() => void targets.delete(id));
      await write({
        token_hash: sha256Hex(token),
        token_sealed: sealer.seal(token, `webhook-token:${id}`),
        secret_sealed: sealer.seal(secret, `webhook-secret:${id}`),
        previous_token_hash: graceUntil ? row.token_hash : null,
        previous_secret_sealed: graceUntil ? row.secret_sealed : null,
        previous_until: graceUntil?.toISOString() ?? null,
      });
      return {
        token,
        secret,
        restore: () =>
          write({
            token_hash: row.token_hash,
            token_sealed: row.token_sealed,
            secret_sealed: row.secret_sealed,
            previous_token_hash: row.previous_token_hash,
            previous_secret_sealed: row.previous_secret_sealed,
            previous_until: row.previous_until,
          }),
      };
    },
    /** Opens a loaded webhook's delivery token without another query. */
    tokenOf(w: StoredWebhook): string {
      return sealer.open(w.sealedToken, `webhook-token:${w.id}`);
    },
    async secrets(tenantId: string, id: string): Promise<{ token: string; secret: string } | null> {
      const row = await db
        .selectFrom('webhooks')
        .select(['token_sealed', 'secret_sealed'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      return {
        token: sealer.open(row.token_sealed, `webhook-token:${id}`),
        secret: sealer.open(row.secret_sealed, `webhook-secret:${id}`),
      };
    },
  };
}
export type WebhookStore = ReturnType<typeof createWebhookStore>;
