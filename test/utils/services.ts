import { serviceUrls, servicesAvailable } from '../../scripts/services.js';

type Env = Record<string, string | undefined>;

/** Whether tests that need PostgreSQL and Redis must fail instead of skipping (CI sets HOOKGRAPH_REQUIRE_SERVICES=1). */
export function servicesRequired(env: Env = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env['HOOKGRAPH_REQUIRE_SERVICES'] ?? '');
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
  const found = await servicesAvailable();
  const urls = serviceUrls();
  const missing = [!found.postgres && `PostgreSQL (${urls.postgres})`, !found.redis && `Redis (${urls.redis})`].filter(Boolean);
  if (missing.length > 0) {
    const message = `${missing.join(' and ')} not reachable`;
    if (servicesRequired()) throw new Error(`${message}, and HOOKGRAPH_REQUIRE_SERVICES=1 forbids skipping`);
    process.stderr.write(
      `\n[hookgraph tests] SKIPPING service-backed tests: ${message}. Start them or set HOOKGRAPH_TEST_POSTGRES_URL / HOOKGRAPH_TEST_REDIS_URL.\n`,
    );
  }
  return found;
}

export const services = await detectServices();
