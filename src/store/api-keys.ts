import type { Kysely } from 'kysely';
import { randomToken, safeEqual, sha256Hex } from '../crypto.js';
import type { Database } from './tables.js';
import type { Tenant } from '../domain/tenant.js';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const KEY_PATTERN = /^hg_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

/**
 * API keys look like `hg_<id>_<secret>`. Only SHA-256(secret) is stored; lookup is by id and the hash
 * is compared in constant time.
 */
export function createApiKeyStore(db: Kysely<Database>) {
  return {
    async create(tenantId: string, name: string): Promise<{ key: string; info: ApiKeyInfo }> {
      const id = randomToken(12)
        .replace(/[^A-Za-z0-9]/g, '')
        .padEnd(12, 'x')
        .slice(0, 12);
      const secret = randomToken(32);
      const createdAt = new Date();
      await db
        .insertInto('api_keys')
        .values({ id, tenant_id: tenantId, name, secret_hash: sha256Hex(secret), created_at: createdAt.toISOString(), revoked_at: null })
        .execute();
      const tenant = await db.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
      return { key: `hg_${id}_${secret}`, info: { id, tenantId, tenantName: tenant.name, name, createdAt, revokedAt: null } };
    },
    /** Returns the key's tenant, or null for a malformed, unknown or revoked key. */
    async authenticate(key: string): Promise<Tenant | null> {
      const match = KEY_PATTERN.exec(key);
      if (!match) return null;
      const [, id, secret] = match as unknown as [string, string, string];
      const row = await db
        .selectFrom('api_keys')
        .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
        .select(['api_keys.secret_hash', 'api_keys.revoked_at', 'tenants.id as tenant_id', 'tenants.name', 'tenants.created_at'])
        .where('api_keys.id', '=', id)
        .executeTakeFirst();
      const expected = row?.secret_hash ?? sha256Hex('');
      const ok = safeEqual(sha256Hex(secret), expected);
      if (!row || !ok || row.revoked_at !== null) return null;
      return { id: row.tenant_id, name: row.name, createdAt: new Date(row.created_at) };
    },
    async list(tenantId?: string): Promise<ApiKeyInfo[]> {
      let q = db
        .selectFrom('api_keys')
        .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
        .select([
          'api_keys.id',
          'api_keys.tenant_id',
          'tenants.name as tenant_name',
          'api_keys.name',
          'api_keys.created_at',
          'api_keys.revoked_at',
        ]);
      if (tenantId) q = q.where('api_keys.tenant_id', '=', tenantId);
      const rows = await q.orderBy('api_keys.created_at').execute();
      return rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        tenantName: r.tenant_name,
        name: r.name,
        createdAt: new Date(r.created_at),
        revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
      }));
    },
    /** Revokes by key id (`hg_<id>_…` or the bare id); returns whether a live key was revoked. */
    async revoke(idOrKey: string): Promise<boolean> {
      const id = KEY_PATTERN.exec(idOrKey)?.[1] ?? idOrKey;
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: new Date().toISOString() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
