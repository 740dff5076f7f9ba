import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { services } from './services.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

/** A fresh, isolated database: a temp SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hookgraph-test-'));
    return { name: 'sqlite', url: `file:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!services.postgres) throw new Error('PostgreSQL is not available');
  const schema = `hg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: services.postgres });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(services.postgres);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    name: 'postgres',
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: services.postgres as string });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** The store backends this machine can run: SQLite always, PostgreSQL when reachable. */
export const storeBackends: ('sqlite' | 'postgres')[] = services.postgres ? ['sqlite', 'postgres'] : ['sqlite'];
