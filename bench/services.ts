import { createConnection } from 'node:net';
import { serviceUrls } from '../src/config.js';

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
