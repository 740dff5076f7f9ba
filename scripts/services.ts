import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import pg from 'pg';

/*
 * The services the tests and the bench run beside the gateway: PostgreSQL and Redis on this machine. Both
 * test/utils and bench/ use this module and neither owns it, so neither reaches into the other. The
 * HOOKGRAPH_TEST_* variables are not gateway settings, so src/config.ts does not read them.
 */

/** Connection strings for the service-backed tests and benches, with this machine kind's defaults. */
export function serviceUrls(env: Record<string, string | undefined> = process.env): { postgres: string; redis: string } {
  return {
    postgres: env['HOOKGRAPH_TEST_POSTGRES_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
    redis: env['HOOKGRAPH_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379',
  };
}

/** PostgreSQL and Redis URLs when reachable on this machine, else null. */
export async function servicesAvailable(): Promise<{ postgres: string | null; redis: string | null }> {
  const urls = serviceUrls();
  const up = (url: string) =>
    new Promise<boolean>((resolve) => {
      const { hostname, port } = new URL(url);
      const s = createConnection({ host: hostname, port: Number(port) }, () => {
        s.destroy();
        resolve(true);
      });
      s.setTimeout(1_000, () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(false));
    });
  return { postgres: (await up(urls.postgres)) ? urls.postgres : null, redis: (await up(urls.redis)) ? urls.redis : null };
}

export interface ScratchSchema {
  /** `postgresUrl` with its search_path set to the new schema alone. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL schema of its own on `postgresUrl`, for one test or one bench run. */
export async function createScratchSchema(postgresUrl: string): Promise<ScratchSchema> {
  const schema = `hg_test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(`drop schema ${schema} cascade`) };
}
