import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  /** Statements executed so far (tests assert dataloader batching with it). */
  queryCount(): number;
  dialect: Dialect;
  /** The SQLite connection itself, for the statements prepared on the append path; null on PostgreSQL. */
  sqlite: SqliteDatabase.Database | null;
  /** A redacted description for logs (no password). */
  describe: string;
  destroy(): Promise<void>;
}

/** Opens the store named by DATABASE_URL: `postgres://…` or a SQLite file (`file:path`, a path, `:memory:`). */
export function openDb(databaseUrl: string): Db {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    // BIGINT columns (the event seq) fit in a JS number for any realistic log.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    const counter = { n: 0 };
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: () => void counter.n++ });
    const url = new URL(databaseUrl);
    url.password = url.password ? '***' : '';
    url.search = '';
    return {
      kysely,
      dialect: 'postgres',
      sqlite: null,
      describe: url.toString(),
      queryCount: () => counter.n,
      destroy: () => kysely.destroy(),
    };
  }
  const path = databaseUrl.replace(/^file:/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable before we ack.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const counter = { n: 0 };
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log: () => void counter.n++ });
  return { kysely, dialect: 'sqlite', sqlite, describe: `sqlite:${path}`, queryCount: () => counter.n, destroy: () => kysely.destroy() };
}
