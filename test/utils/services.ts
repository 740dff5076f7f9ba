import { createConnection } from 'node:net';
import { servicesRequired, serviceUrls } from '../../src/config.js';

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

export interface ServiceAvailability {
  postgres: string | null;
  redis: string | null;
}

/**
 * Which external services the suite can use. Without them the dependent tests skip with a clear
 * message; with HOOKGRAPH_REQUIRE_SERVICES=1 (CI) a missing service is an error instead.
 */
export async function detectServices(): Promise<ServiceAvailability> {
  const urls = serviceUrls();
  const [pg, redis] = await Promise.all([reachable(urls.postgres), reachable(urls.redis)]);
  const missing = [!pg && `PostgreSQL (${urls.postgres})`, !redis && `Redis (${urls.redis})`].filter(Boolean);
  if (missing.length > 0) {
    const message = `${missing.join(' and ')} not reachable`;
    if (servicesRequired()) throw new Error(`${message}, and HOOKGRAPH_REQUIRE_SERVICES=1 forbids skipping`);
    process.stderr.write(`\n[hookgraph tests] SKIPPING service-backed tests: ${message}. Start them or set HOOKGRAPH_TEST_POSTGRES_URL / HOOKGRAPH_TEST_REDIS_URL.\n`);
  }
  return { postgres: pg ? urls.postgres : null, redis: redis ? urls.redis : null };
}

export const services = await detectServices();
