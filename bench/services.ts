import { createConnection } from 'node:net';

/**
 * Connection strings for the service-backed benches and tests, with this machine kind's defaults. The bench's
 * own reader of these variables: they are not gateway settings, so src/config.ts does not read them.
 */
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
