import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

export interface Tenant {
  id: string;
  name: string;
  createdAt: Date;
}

export function createTenantStore(db: Kysely<Database>) {
  const toTenant = (r: Database['tenants']): Tenant => ({ id: r.id, name: r.name, createdAt: new Date(r.created_at) });
  return {
    async create(name: string): Promise<Tenant> {
      const row = { id: randomUUID(), name, created_at: new Date().toISOString() };
      await db.insertInto('tenants').values(row).execute();
      return toTenant(row);
    },
    async findByName(name: string): Promise<Tenant | null> {
      const row = await db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
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
    async list(): Promise<Tenant[]> {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('created_at').execute();
      return rows.map(toTenant);
    },
  };
}
export type TenantStore = ReturnType<typeof createTenantStore>;
