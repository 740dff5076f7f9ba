import { type Kysely, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Dialect } from './db.js';
import { migrations } from './migrations/index.js';

/**
 * Brings the schema up to date (or to `target`). Kysely's migrator takes a lock (a row lock on PostgreSQL), so
 * several replicas starting at once apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, target?: string): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(migrations.map(([name, up]) => [name, { up: (on: Kysely<unknown>) => up(on, dialect) }])),
  };
  // Kysely looks for its migration tables in every schema unless told which one: another schema's copy (another
  // deployment, or another test's database on the same server) would be taken for ours. Ours live beside the data.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema && { migrationTableSchema }) });
  // `target` (a migration name) stops there instead: tests build an older schema with it.
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
