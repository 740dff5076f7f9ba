import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Sealer } from '../crypto.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { Connection } from '../domain/connection.js';
import type { Database } from './tables.js';

export interface ConnectionWithCredentials extends Connection {
  credentials: unknown;
}

/** Credentials are sealed with AES-256-GCM, bound to (tenant, provider) so a row cannot be replayed elsewhere. */
export function createConnectionStore(db: Kysely<Database>, sealer: Sealer) {
  const aad = (tenantId: string, provider: string) => `connection:${tenantId}:${provider}`;
  const toConnection = (r: Database['connections']): Connection => ({
    id: r.id,
    tenantId: r.tenant_id,
    provider: r.provider as ProviderKey,
    baseUrl: r.base_url,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  });
  return {
    async upsert(tenantId: string, provider: ProviderKey, baseUrl: string, credentials: unknown): Promise<Connection> {
      const now = new Date().toISOString();
      const sealed = sealer.seal(JSON.stringify(credentials), aad(tenantId, provider));
      await db
        .insertInto('connections')
        .values({
          id: randomUUID(),
          tenant_id: tenantId,
          provider,
          base_url: baseUrl,
          credentials: sealed,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'provider']).doUpdateSet({ base_url: baseUrl, credentials: sealed, updated_at: now }))
        .execute();
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('provider', '=', provider)
        .executeTakeFirstOrThrow();
      return toConnection(row);
    },
    async updateCredentials(tenantId: string, provider: ProviderKey, credentials: unknown): Promise<void> {
      await db
        .updateTable('connections')
        .set({ credentials: sealer.seal(JSON.stringify(credentials), aad(tenantId, provider)), updated_at: new Date().toISOString() })
        .where('tenant_id', '=', tenantId)
        .where('provider', '=', provider)
        .execute();
    },
    async get(tenantId: string, provider: ProviderKey): Promise<ConnectionWithCredentials | null> {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('provider', '=', provider)
        .executeTakeFirst();
      if (!row) return null;
      return { ...toConnection(row), credentials: JSON.parse(sealer.open(row.credentials, aad(tenantId, provider))) };
    },
    async list(tenantId: string): Promise<Connection[]> {
      const rows = await db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId).execute();
      return rows.map(toConnection);
    },
    async remove(tenantId: string, provider: ProviderKey): Promise<boolean> {
      const r = await db.deleteFrom('connections').where('tenant_id', '=', tenantId).where('provider', '=', provider).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
export type ConnectionStore = ReturnType<typeof createConnectionStore>;
