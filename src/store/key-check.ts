import { type Kysely, sql } from 'kysely';
import { ConfigError } from '../config.js';
import type { Sealer } from '../crypto.js';

const PLAINTEXT = 'hookgraph key check v1';
const AAD = 'key-check';

export interface KeyCheckOptions {
  /** The database in words (Db.describe), for the message. */
  describe: string;
  /** Where the key came from (SecretKey.origin). @default 'HOOKGRAPH_SECRET_KEY' */
  keyOrigin?: string;
}

/**
 * Proves the secret key is the one this database's sealed values were written with, before anything is
 * served: a wrong key would otherwise start fine and fail later, masked, at the first credential opened.
 * The first start writes a value sealed with its key (migration 0006's one-row table); each start opens it.
 */
export async function checkSecretKey(
  db: Kysely<unknown>,
  sealer: Sealer,
  { describe, keyOrigin = 'HOOKGRAPH_SECRET_KEY' }: KeyCheckOptions,
): Promise<void> {
  const mismatch = () =>
    new ConfigError([`${keyOrigin} does not open the data in ${describe}: it is not the key this database was created with`]);
  let sealed = await readCheck(db);
  if (sealed === null) {
    // A database from before 0006 already holds sealed values: the check is written only by a key that opens them.
    const sample = await sealedSample(db);
    if (sample && !opens(sealer, sample.sealed, sample.aad)) throw mismatch();
    await sql`insert into key_check (id, sealed, created_at) values (1, ${sealer.seal(PLAINTEXT, AAD)}, ${new Date().toISOString()})
      on conflict (id) do nothing`.execute(db);
    // Another replica may have written it first, with its own key.
    sealed = await readCheck(db);
  }
  if (sealed === null || !opens(sealer, sealed, AAD, PLAINTEXT)) throw mismatch();
}

async function readCheck(db: Kysely<unknown>): Promise<string | null> {
  const { rows } = await sql<{ sealed: string }>`select sealed from key_check where id = 1`.execute(db);
  return rows[0]?.sealed ?? null;
}

/** One value sealed before the key check existed, with its associated data (the formats webhooks.ts and connections.ts persist). */
async function sealedSample(db: Kysely<unknown>): Promise<{ sealed: string; aad: string } | null> {
  const hook = (await sql<{ id: string; token_sealed: string }>`select id, token_sealed from webhooks limit 1`.execute(db)).rows[0];
  if (hook) return { sealed: hook.token_sealed, aad: `webhook-token:${hook.id}` };
  const conn = (
    await sql<{ tenant_id: string; provider: string; credentials: string }>`
    select tenant_id, provider, credentials from connections limit 1`.execute(db)
  ).rows[0];
  if (conn) return { sealed: conn.credentials, aad: `connection:${conn.tenant_id}:${conn.provider}` };
  return null;
}

function opens(sealer: Sealer, sealed: string, aad: string, expected?: string): boolean {
  try {
    const plaintext = sealer.open(sealed, aad);
    return expected === undefined || plaintext === expected;
  } catch {
    return false;
  }
}
