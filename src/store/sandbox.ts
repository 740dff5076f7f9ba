import type { Kysely } from 'kysely';
import type { Sealer } from '../crypto.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { Database } from './tables.js';

/** One account at a sandbox vendor, as stored (the sandbox's own view: src/sandbox/types.ts). */
export interface SandboxAccountRow {
  provider: ProviderKey;
  id: string;
  /** Secret name → SHA-256 of the secret: enough to check a credential, useless to present one. */
  secrets: Record<string, string>;
  /** The vendor's state for the account (hooks and their settings), as JSON. */
  state: string;
  version: number;
}

/**
 * The sandbox vendors' accounts, so sandbox webhooks survive restarts and every replica sees them.
 * The state holds what vendors hold (webhook secrets, custom header values), so it is sealed like
 * connection credentials, bound to its account.
 */
export function createSandboxAccountStore(db: Kysely<Database>, sealer: Sealer) {
  const aad = (provider: string, id: string) => `sandbox:${provider}:${id}`;
  return {
    async insert(row: SandboxAccountRow): Promise<void> {
      const now = new Date().toISOString();
      await db
        .insertInto('sandbox_accounts')
        .values({
          provider: row.provider,
          id: row.id,
          secrets: JSON.stringify(row.secrets),
          state: sealer.seal(row.state, aad(row.provider, row.id)),
          version: row.version,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },
    async get(provider: ProviderKey, id: string): Promise<SandboxAccountRow | null> {
      const row = await db
        .selectFrom('sandbox_accounts')
        .select(['secrets', 'state', 'version'])
        .where('provider', '=', provider)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      return {
        provider,
        id,
        secrets: JSON.parse(row.secrets) as Record<string, string>,
        state: sealer.open(row.state, aad(provider, id)),
        version: Number(row.version),
      };
    },
    /** Optimistic write: only over the version the caller read, so concurrent writers cannot lose each other's changes. */
    async update(row: SandboxAccountRow, expectedVersion: number): Promise<boolean> {
      const r = await db
        .updateTable('sandbox_accounts')
        .set({
          secrets: JSON.stringify(row.secrets),
          state: sealer.seal(row.state, aad(row.provider, row.id)),
          version: row.version,
          updated_at: new Date().toISOString(),
        })
        .where('provider', '=', row.provider)
        .where('id', '=', row.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Test reset: every account of the provider back to `state`, accounts and secrets kept. */
    async resetState(provider: ProviderKey, state: string): Promise<void> {
      const rows = await db.selectFrom('sandbox_accounts').select(['id', 'version']).where('provider', '=', provider).execute();
      for (const r of rows) {
        await db
          .updateTable('sandbox_accounts')
          .set({ state: sealer.seal(state, aad(provider, r.id)), version: Number(r.version) + 1, updated_at: new Date().toISOString() })
          .where('provider', '=', provider)
          .where('id', '=', r.id)
          .execute();
      }
    },
  };
}
export type SandboxAccountRows = ReturnType<typeof createSandboxAccountStore>;
