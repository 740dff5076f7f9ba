import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, KyselyPlugin, QueryId } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../src/crypto.js';
import { ValidationError } from '../../src/domain/errors.js';
import type { Tenant } from '../../src/domain/tenant.js';
import { createApiKeyStore } from '../../src/store/api-keys.js';
import { openDb } from '../../src/store/db.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const MINUTE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(storeBackends)('API keys on %s', (backend) => {
  let db: TestDatabase;
  let store: Store;
  let tenant: Tenant;
  const secretKey = randomBytes(32);
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    store = await createStore({ databaseUrl: db.url, secretKey });
    tenant = (await store.tenants.getOrCreate('acme')).tenant;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  /** A key store on a clock the test moves, over the store's own database. */
  const clocked = (plugins: KyselyPlugin[] = []) => {
    const clock = { now: T0 };
    const kysely = plugins.reduce((k, p) => k.withPlugin(p), store.kysely);
    return { clock, keys: createApiKeyStore(kysely, { now: () => clock.now }) };
  };
  const listed = async (id: string) => (await store.apiKeys.list(tenant.id)).find((k) => k.id === id);

  it('makes ADMIN keys with no filter and no expiry unless told otherwise', async () => {
    const { key, info } = await store.apiKeys.create(tenant.id, 'plain');
    expect(info).toMatchObject({ scopes: ['ADMIN'], filter: null, expiresAt: null, lastUsedAt: null });
    expect((await store.apiKeys.authenticate(key))?.key).toMatchObject({ id: info.id, scopes: ['ADMIN'], filter: null, expiresAt: null });
    expect(await listed(info.id)).toMatchObject({ scopes: ['ADMIN'], filter: null, expiresAt: null });
  });

  it('reads back the scopes, filter and expiry a key was made with, through authenticate and list', async () => {
    const filter = { providers: ['BOOQABLE', 'PAYBOOK'] as const, types: ['invoice.*'], webhookIds: [randomUUID()] };
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { key, info } = await store.apiKeys.create(tenant.id, 'scoped', { scopes: ['SUBSCRIBE', 'READ'], filter, expiresAt });
    const expected = { name: 'scoped', scopes: ['READ', 'SUBSCRIBE'], filter, expiresAt, revokedAt: null };
    expect(info).toMatchObject(expected);
    const authenticated = await store.apiKeys.authenticate(key);
    expect(authenticated?.tenant).toEqual(tenant);
    expect(authenticated?.key).toMatchObject({ id: info.id, tenantId: tenant.id, tenantName: 'acme', ...expected });
    expect(await listed(info.id)).toMatchObject(expected);
    // A filter of one field stays one field: nothing is added that would read as "match nothing".
    const one = await store.apiKeys.create(tenant.id, 'one', { filter: { providers: ['DESKERA'] } });
    expect((await listed(one.info.id))?.filter).toEqual({ providers: ['DESKERA'] });
  });

  it('refuses to make a key with no scope or with an unknown one', async () => {
    await expect(store.apiKeys.create(tenant.id, 'none', { scopes: [] })).rejects.toThrow(ValidationError);
    await expect(store.apiKeys.create(tenant.id, 'bad', { scopes: ['ROOT' as 'ADMIN'] })).rejects.toThrow(/unknown scope "ROOT"/);
    expect((await store.apiKeys.list(tenant.id)).map((k) => k.name)).not.toContain('bad');
  });

  it('does not authenticate a key from the moment it expires, nor a revoked key', async () => {
    const { clock, keys } = clocked();
    const expiring = await keys.create(tenant.id, 'expiring', { expiresAt: at(10 * MINUTE) });
    clock.now = at(10 * MINUTE - 1);
    expect((await keys.authenticate(expiring.key))?.key.id).toBe(expiring.info.id);
    clock.now = at(10 * MINUTE);
    expect(await keys.authenticate(expiring.key)).toBeNull();

    const revoked = await keys.create(tenant.id, 'revoked');
    expect(await keys.authenticate(revoked.key)).not.toBeNull();
    expect(await keys.revoke(revoked.info.id)).toBe(true);
    expect(await keys.authenticate(revoked.key)).toBeNull();
    // The secret still has to match: a right id with a wrong secret is as unknown as a wrong id.
    const live = await keys.create(tenant.id, 'live');
    expect(await keys.authenticate(`${live.key.slice(0, -1)}${live.key.endsWith('a') ? 'b' : 'a'}`)).toBeNull();
  });

  it('records a use in last_used_at once a minute per key at most, without holding the answer for the write', async () => {
    // Counts the updates as they are issued (compiled), and holds the first one's result until released.
    const updates: QueryId[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const watch: KyselyPlugin = {
      transformQuery: ({ node, queryId }) => {
        if (node.kind === 'UpdateQueryNode') updates.push(queryId);
        return node;
      },
      transformResult: async ({ result, queryId }) => {
        if (queryId === updates[0]) await held;
        return result;
      },
    };
    const { clock, keys } = clocked([watch]);
    const a = await keys.create(tenant.id, 'a');
    const b = await keys.create(tenant.id, 'b');
    const lastUsed = async (id: string) => (await listed(id))?.lastUsedAt?.toISOString() ?? null;

    // Answered while the write is still held.
    expect((await keys.authenticate(a.key))?.key.lastUsedAt).toBeNull();
    expect(updates).toHaveLength(1);
    release();
    await vi.waitFor(async () => expect(await lastUsed(a.info.id)).toBe(at(0).toISOString()));

    clock.now = at(MINUTE - 1);
    for (let i = 0; i < 5; i++) expect(await keys.authenticate(a.key)).not.toBeNull();
    expect(updates).toHaveLength(1);
    // Another key has a minute of its own.
    await keys.authenticate(b.key);
    expect(updates).toHaveLength(2);

    clock.now = at(MINUTE);
    expect((await keys.authenticate(a.key))?.key.lastUsedAt).toEqual(at(0));
    expect(updates).toHaveLength(3);
    await vi.waitFor(async () => expect(await lastUsed(a.info.id)).toBe(at(MINUTE).toISOString()));
    await vi.waitFor(async () => expect(await lastUsed(b.info.id)).toBe(at(MINUTE - 1).toISOString()));
    // A refused key is not a use.
    await keys.revoke(b.info.id);
    clock.now = at(10 * MINUTE);
    const before = updates.length;
    expect(await keys.authenticate(b.key)).toBeNull();
    expect(updates).toHaveLength(before);
  });
});

describe.each(storeBackends)('migration 0008 on %s', (backend) => {
  it('keeps the keys made before it working, as ADMIN keys that never expire', async () => {
    const db = await createTestDatabase(backend);
    // A database as 0007 left it, holding one key.
    const old = openDb(db.url);
    await migrateToLatest(old.kysely as unknown as Kysely<unknown>, old.dialect, '0007_retention');
    const tenantId = randomUUID();
    const now = new Date().toISOString();
    const [id, secret] = ['OldKey000001', randomBytes(32).toString('base64url')];
    await old.kysely.insertInto('tenants').values({ id: tenantId, name: 'acme', created_at: now }).execute();
    await old.kysely
      .insertInto('api_keys')
      .values({ id, tenant_id: tenantId, name: 'old', secret_hash: sha256Hex(secret), created_at: now, revoked_at: null })
      .execute();
    await old.destroy();

    const store = await createStore({ databaseUrl: db.url, secretKey: randomBytes(32) });
    try {
      const authenticated = await store.apiKeys.authenticate(`hg_${id}_${secret}`);
      expect(authenticated?.tenant.id).toBe(tenantId);
      expect(authenticated?.key).toMatchObject({ id, name: 'old', scopes: ['ADMIN'], filter: null, expiresAt: null, lastUsedAt: null });
      expect(await store.apiKeys.list()).toMatchObject([{ id, scopes: ['ADMIN'], expiresAt: null }]);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
