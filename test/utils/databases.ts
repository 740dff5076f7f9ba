import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchSchema } from '../../scripts/services.js';
import { leftover, onlyOnce } from './leftovers.js';
import { services } from './services.js';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  url: string;
  /** Removes the database; once, however often it is called (the leftovers list calls it too). */
  drop(): Promise<void>;
}

/** A fresh, isolated database, on the leftovers list: a temp SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hookgraph-test-'));
    return {
      name: 'sqlite',
      url: `file:${join(dir, 'test.sqlite')}`,
      drop: leftover(onlyOnce(async () => rmSync(dir, { recursive: true, force: true }))),
    };
  }
  if (!services.postgres) throw new Error('PostgreSQL is not available');
  const schema = await createScratchSchema(services.postgres);
  return { name: 'postgres', url: schema.url, drop: leftover(onlyOnce(schema.drop)) };
}

/** The store backends this machine can run: SQLite always, PostgreSQL when reachable. */
export const storeBackends: ('sqlite' | 'postgres')[] = services.postgres ? ['sqlite', 'postgres'] : ['sqlite'];
