import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Tenant, TenantRetention } from '../domain/tenant.js';
import type { Database, TenantTable } from './tables.js';

/** A tenant as `list()` shows it: with its retention and how far its log has been pruned. */
export interface TenantWithRetention extends Tenant {
  retention: TenantRetention;
  /** The highest seq pruned so far (0: none): cursors below it are expired (CURSOR_EXPIRED). */
  prunedThroughSeq: number;
}

const FOREVER = 0;

export const retentionOf = (retentionMs: number | null): TenantRetention =>
  retentionMs === null ? null : Number(retentionMs) === FOREVER ? 'forever' : Number(retentionMs);

export function createTenantStore(db: Kysely<Database>) {
  const toTenant = (r: Pick<Selectable<TenantTable>, 'id' | 'name' | 'created_at'>): Tenant => ({
    id: r.id,
    name: r.name,
    createdAt: new Date(r.created_at),
  });
  return {
    async create(name: string): Promise<Tenant> {
      const row = { id: randomUUID(), name, created_at: new Date().toISOString() };
      await db.insertInto('tenants').values(row).execute();
      return toTenant(row);
    },
    async findByName(name: string): Promise<Tenant | null> {
      const row = await db.selectFrom('tenants').select(['id', 'name', 'created_at']).where('name', '=', name).executeTakeFirst();
      return row ? toTenant(row) : null;
    },
    async getOrCreate(name: string): Promise<{ tenant: Tenant; created: boolean }> {
      const existing = await this.findByName(name);
      if (existing) return { tenant: existing, created: false };
      try {
        return { tenant: await this.create(name), created: true };
      } catch (error) {
        // Another replica created it between our read and insert.
        const raced = await this.findByName(name);
        if (raced) return { tenant: raced, created: false };
        throw error;
      }
    },
    /** Every tenant, oldest first, with its retention (the pruner walks this list each pass). */
    async list(): Promise<TenantWithRetention[]> {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => ({ ...toTenant(r), retention: retentionOf(r.retention_ms), prunedThroughSeq: Number(r.pruned_through_seq) }));
    },
    /**
     * Sets the tenant's event retention: a window in ms (a positive integer), `'forever'`, or null for the
     * gateway's default. Takes effect at the next pruning pass. Returns false for an unknown tenant.
     */
    async setRetention(tenantId: string, retentionMs: TenantRetention): Promise<boolean> {
      if (retentionMs !== null && retentionMs !== 'forever' && !(Number.isSafeInteger(retentionMs) && retentionMs > 0))
        throw new RangeError(`retention must be a positive number of milliseconds, 'forever' or null, got ${retentionMs}`);
      const value = retentionMs === 'forever' ? FOREVER : retentionMs;
      const r = await db.updateTable('tenants').set({ retention_ms: value }).where('id', '=', tenantId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
export type TenantStore = ReturnType<typeof createTenantStore>;
