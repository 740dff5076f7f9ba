import { type Kysely, sql } from 'kysely';
import type { Database } from './tables.js';

/**
 * Work that one process at a time may do (the background reconciler): a PostgreSQL session advisory lock, held on one
 * pooled connection for the duration, so replicas sharing a database take turns; with SQLite (one process owns the
 * file) a flag in this process. `run` answers null, without running `work`, when another holder has the lock.
 */
export function createLocks(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const held = new Set<string>();
  return {
    async run<T>(name: string, work: () => Promise<T>): Promise<T | null> {
      if (held.has(name)) return null;
      held.add(name);
      try {
        if (dialect === 'sqlite') return await work();
        return await db.connection().execute(async (conn) => {
          const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as ok`.execute(conn);
          if (!rows[0]?.ok) return null;
          try {
            return await work();
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn);
          }
        });
      } finally {
        held.delete(name);
      }
    },
  };
}
export type Locks = ReturnType<typeof createLocks>;
