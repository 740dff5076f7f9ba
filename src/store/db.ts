import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ConfigError, redactUrl } from '../config.js';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  /** Statements executed so far (tests assert dataloader batching with it). */
  queryCount(): number;
  dialect: Dialect;
  /** The SQLite connection itself, for the statements prepared on the append path; null on PostgreSQL. */
  sqlite: SqliteDatabase.Database | null;
  /** The PostgreSQL schema every connection uses (search_path), when one is configured. */
  pgSchema: string | null;
  /** A redacted description for logs (no password). */
  describe: string;
  destroy(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL: the schema set as search_path on every pool connection (HOOKGRAPH_PG_SCHEMA). @default null */
  pgSchema?: string | null;
}

/** Opens the store named by DATABASE_URL: `postgres://…`/`postgresql://…`, or SQLite as `file:<path>`/`sqlite:<path>` (`:memory:` too). */
export function openDb(databaseUrl: string, { pgSchema = null }: OpenDbOptions = {}): Db {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return openPostgres(databaseUrl, pgSchema);
  const file = /^(file|sqlite):(.+)$/i.exec(databaseUrl)?.[2];
  if (file === undefined) {
    throw new ConfigError([
      `DATABASE_URL must be file:<path> or sqlite:<path> (SQLite) or postgres://… (PostgreSQL), got ${JSON.stringify(redactUrl(databaseUrl))}`,
    ]);
  }
  const path = file.replace(/^\/\/(?=\/)/, '');
  let sqlite: SqliteDatabase.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new SqliteDatabase(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ConfigError([`DATABASE_URL sqlite:${path} cannot be opened: ${code ?? message}; check the directory exists and is writable`]);
  }
  // WAL lets readers run beside the writer; synchronous=FULL makes each commit durable before we ack.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const counter = { n: 0 };
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log: () => void counter.n++ });
  return {
    kysely,
    dialect: 'sqlite',
    sqlite,
    pgSchema: null,
    describe: `sqlite:${path}`,
    queryCount: () => counter.n,
    destroy: () => kysely.destroy(),
  };
}

function openPostgres(databaseUrl: string, pgSchema: string | null): Db {
  if (pgSchema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema))
    throw new ConfigError([`HOOKGRAPH_PG_SCHEMA must be a lower-case identifier, got ${JSON.stringify(pgSchema)}`]);
  // BIGINT columns (the event seq) fit in a JS number for any realistic log.
  pg.types.setTypeParser(20, (v) => Number(v));
  const url = new URL(databaseUrl);
  // The connection string's own parameters override pg's options, so the schema goes into it: after any
  // `options` the URL already has (PostgreSQL applies `-c` settings in order, the last one wins).
  if (pgSchema !== null)
    url.searchParams.set('options', [url.searchParams.get('options'), `-c search_path=${pgSchema}`].filter(Boolean).join(' '));
  // Without a connect timeout an address that drops packets would hold the start (or a query) forever.
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closes (a restart, a failover) is an 'error' on the pool, which would
  // otherwise crash the process; pg has already dropped that connection and the next query opens another.
  pool.on('error', () => {});
  const counter = { n: 0 };
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: () => void counter.n++ });
  const shown = new URL(databaseUrl);
  shown.password = shown.password ? '***' : '';
  shown.search = '';
  return {
    kysely,
    dialect: 'postgres',
    sqlite: null,
    pgSchema,
    describe: pgSchema ? `${shown} (schema ${pgSchema})` : shown.toString(),
    queryCount: () => counter.n,
    destroy: () => kysely.destroy(),
  };
}

/**
 * PostgreSQL: one round trip before anything else, so an unreachable server or a refused login is one line
 * naming DATABASE_URL rather than a migration's stack trace; then the configured schema, created if missing.
 */
export async function prepareDb(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return;
  try {
    await sql`select 1`.execute(db.kysely);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new ConfigError([`DATABASE_URL ${db.describe} ${pgFailure(error)}`]);
  }
  if (db.pgSchema === null) return;
  try {
    await sql`create schema if not exists ${sql.id(db.pgSchema)}`.execute(db.kysely);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw new ConfigError([`HOOKGRAPH_PG_SCHEMA ${db.pgSchema} cannot be created in ${db.describe}: ${(error as Error).message}`]);
  }
}

/** What went wrong reaching PostgreSQL, in a few words: a network code, a timeout, or the server's own refusal. */
function pgFailure(error: unknown): string {
  // The server's own refusal carries a SQLSTATE: 28P01 bad password, 3D000 no such database.
  if (error instanceof pg.DatabaseError) return `refused the connection: ${error.message} (${error.code})`;
  const e = error as { code?: string; message?: string; errors?: { code?: string }[] };
  // Node reports a refused connection to every address of a host as an AggregateError.
  const code = e.code ?? e.errors?.[0]?.code;
  if (code) return `is unreachable: ${code}`;
  if (/timeout/i.test(e.message ?? '')) return 'is unreachable: no answer within 10 s';
  return `is unreachable: ${e.message ?? String(error)}`;
}
