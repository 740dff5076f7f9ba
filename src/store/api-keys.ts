import type { Kysely } from 'kysely';
import { randomToken, safeEqual, sha256Hex } from '../crypto.js';
import { type AccessScope, parseScopes } from '../domain/access.js';
import type { EventFilter } from '../domain/event-filter.js';
import type { Tenant } from '../domain/tenant.js';
import type { Database } from './tables.js';

export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
  scopes: readonly AccessScope[];
  /** The filter every read and subscription of the key is intersected with (raw webhook ids); null: none. */
  filter: EventFilter | null;
  expiresAt: Date | null;
  /** When the key last authenticated, to within a minute (see `lastUsedEveryMs`); null: not since 0008. */
  lastUsedAt: Date | null;
}

export interface NewApiKeyOptions {
  /** @default ['ADMIN'] */
  scopes?: readonly AccessScope[];
  /** @default null: the tenant's whole log */
  filter?: EventFilter | null;
  /** @default null: never expires */
  expiresAt?: Date | null;
}

export interface ApiKeyStoreOptions {
  /** @default () => new Date() */
  now?: () => Date;
  /** The least time between two writes of one key's last_used_at by this process. @default 60_000 */
  lastUsedEveryMs?: number;
}

/** Revocations read per sweep; a sweep that reads a full page comes back for the rest at once. */
export const REVOKED_PAGE = 1_000;

const KEY_PATTERN = /^hg_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

/** The filter as stored: only its three fields, so what is read back is what was meant. */
function filterText(filter: EventFilter | null): string | null {
  if (filter === null) return null;
  const { providers, types, webhookIds } = filter;
  return JSON.stringify({ ...(providers && { providers }), ...(types && { types }), ...(webhookIds && { webhookIds }) });
}

const filterOf = (text: string | null) => (text === null ? null : (JSON.parse(text) as EventFilter));
const dateOrNull = (text: string | null) => (text === null ? null : new Date(text));

/**
 * API keys look like `hg_<id>_<secret>`. Only SHA-256(secret) is stored; lookup is by id and the hash
 * is compared in constant time.
 */
export function createApiKeyStore(db: Kysely<Database>, { now = () => new Date(), lastUsedEveryMs = 60_000 }: ApiKeyStoreOptions = {}) {
  // Key id → when this process last wrote its last_used_at. Only keys that authenticated get an entry, so it
  // holds at most one per key in the database.
  const lastWritten = new Map<string, number>();

  /** Records a use without delaying the answer: a lost write (the pool closing at shutdown) costs only precision. */
  function touch(id: string, at: Date): void {
    const last = lastWritten.get(id);
    if (last !== undefined && at.getTime() - last < lastUsedEveryMs) return;
    lastWritten.set(id, at.getTime());
    void db
      .updateTable('api_keys')
      .set({ last_used_at: at.toISOString() })
      .where('id', '=', id)
      .execute()
      .catch(() => {});
  }

  /** Every column a key's ApiKeyInfo (and authenticate) needs: one list for both. */
  const selectKeys = () =>
    db
      .selectFrom('api_keys')
      .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
      .select([
        'api_keys.id',
        'api_keys.name',
        'api_keys.secret_hash',
        'api_keys.created_at',
        'api_keys.revoked_at',
        'api_keys.scopes',
        'api_keys.filter',
        'api_keys.expires_at',
        'api_keys.last_used_at',
        'tenants.id as tenant_id',
        'tenants.name as tenant_name',
        'tenants.created_at as tenant_created_at',
      ]);
  type KeyRow = Awaited<ReturnType<ReturnType<typeof selectKeys>['executeTakeFirstOrThrow']>>;
  const infoOf = (r: KeyRow): ApiKeyInfo => ({
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    name: r.name,
    createdAt: new Date(r.created_at),
    revokedAt: dateOrNull(r.revoked_at),
    scopes: parseScopes(r.scopes),
    filter: filterOf(r.filter),
    expiresAt: dateOrNull(r.expires_at),
    lastUsedAt: dateOrNull(r.last_used_at),
  });

  return {
    async create(
      tenantId: string,
      name: string,
      { scopes = ['ADMIN'], filter = null, expiresAt = null }: NewApiKeyOptions = {},
    ): Promise<{ key: string; info: ApiKeyInfo }> {
      // Through the parser, so a key can only hold what authenticate() reads back.
      const scopesText = parseScopes(scopes.join(',')).join(',');
      if (expiresAt !== null && Number.isNaN(expiresAt.getTime())) throw new RangeError('expiresAt is not a valid date');
      const id = randomToken(12)
        .replace(/[^A-Za-z0-9]/g, '')
        .padEnd(12, 'x')
        .slice(0, 12);
      const secret = randomToken(32);
      const createdAt = now();
      const stored = filterText(filter);
      await db
        .insertInto('api_keys')
        .values({
          id,
          tenant_id: tenantId,
          name,
          secret_hash: sha256Hex(secret),
          created_at: createdAt.toISOString(),
          revoked_at: null,
          scopes: scopesText,
          filter: stored,
          expires_at: expiresAt?.toISOString() ?? null,
        })
        .execute();
      const tenant = await db.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
      return {
        key: `hg_${id}_${secret}`,
        info: {
          id,
          tenantId,
          tenantName: tenant.name,
          name,
          createdAt,
          revokedAt: null,
          scopes: parseScopes(scopesText),
          filter: filterOf(stored),
          expiresAt,
          lastUsedAt: null,
        },
      };
    },
    /**
     * The key's tenant and the key itself (its scopes, filter, expiry), or null for a malformed, unknown, revoked
     * or expired key. A use is recorded in last_used_at at most once per `lastUsedEveryMs`, off the answer's path.
     */
    async authenticate(key: string): Promise<{ tenant: Tenant; key: ApiKeyInfo } | null> {
      const match = KEY_PATTERN.exec(key);
      if (!match) return null;
      const [, id, secret] = match as unknown as [string, string, string];
      const row = await selectKeys().where('api_keys.id', '=', id).executeTakeFirst();
      const expected = row?.secret_hash ?? sha256Hex('');
      const ok = safeEqual(sha256Hex(secret), expected);
      if (!row || !ok || row.revoked_at !== null) return null;
      const at = now();
      const expiresAt = dateOrNull(row.expires_at);
      if (expiresAt !== null && expiresAt.getTime() <= at.getTime()) return null;
      touch(id, at);
      return {
        tenant: { id: row.tenant_id, name: row.tenant_name, createdAt: new Date(row.tenant_created_at) },
        key: infoOf(row),
      };
    },
    async list(tenantId?: string): Promise<ApiKeyInfo[]> {
      let q = selectKeys();
      if (tenantId) q = q.where('api_keys.tenant_id', '=', tenantId);
      const rows = await q.orderBy('api_keys.created_at').execute();
      return rows.map(infoOf);
    },
    /**
     * Revokes by key id (`hg_<id>_…` or the bare id), of `tenantId` when given (GraphQL's revokeApiKey: a tenant
     * revokes only its own keys); returns whether a live key was revoked.
     */
    async revoke(idOrKey: string, tenantId?: string): Promise<boolean> {
      const id = KEY_PATTERN.exec(idOrKey)?.[1] ?? idOrKey;
      let q = db.updateTable('api_keys').set({ revoked_at: now().toISOString() }).where('id', '=', id).where('revoked_at', 'is', null);
      if (tenantId !== undefined) q = q.where('tenant_id', '=', tenantId);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** One key of a tenant, revoked or not; null when the tenant has no such key. */
    async get(tenantId: string, id: string): Promise<ApiKeyInfo | null> {
      const row = await selectKeys().where('api_keys.id', '=', id).where('api_keys.tenant_id', '=', tenantId).executeTakeFirst();
      return row ? infoOf(row) : null;
    },
    /** Keys revoked at or after `since`, oldest first, at most REVOKED_PAGE: what every replica sweeps (manage/access.ts). */
    async revokedSince(since: Date): Promise<Array<{ id: string; revokedAt: Date }>> {
      const rows = await db
        .selectFrom('api_keys')
        .select(['id', 'revoked_at'])
        .where('revoked_at', '>=', since.toISOString())
        .orderBy('revoked_at')
        .limit(REVOKED_PAGE)
        .execute();
      return rows.map((r) => ({ id: r.id, revokedAt: new Date(r.revoked_at as string) }));
    },
    /** Live (unrevoked, unexpired) keys of a tenant: createApiKey refuses past a limit. */
    async countLive(tenantId: string): Promise<number> {
      const row = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now().toISOString())]))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
