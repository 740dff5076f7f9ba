import { resolve } from 'node:path';

/** The gateway's whole configuration. Built only here, from the environment; frozen. */
export interface Config {
  /** TCP port; 0 picks a free one (tests). @default 4000 */
  port: number;
  /** @default '127.0.0.1' */
  host: string;
  /** Public origin used in deliveryUrls; defaults to http://<host>:<bound port>. */
  publicUrl: string | null;
  /** `file:<path>` / a path for SQLite, or `postgres://…`. @default file:./data/hookgraph.sqlite */
  databaseUrl: string;
  /** Where the SQLite file and the dev key file live. @default ./data */
  dataDir: string;
  /** Base64 or hex 32-byte key for AES-256-GCM; null → a generated key file under dataDir. */
  secretKey: string | null;
  /** `redis://…` selects Redis pub/sub for several replicas; null → in-process. */
  redisUrl: string | null;
  /** Prefix for Redis channels, so several deployments can share one Redis. @default 'hookgraph' */
  redisPrefix: string;
  /** Mounts the simulated vendors under /sandbox/<vendor>/ and lets loopback through the host allowlist. */
  sandbox: boolean;
  /** Hosts outbound vendor calls may reach; `*.booqable.com` style wildcards allowed. */
  allowedHosts: string[];
  /** Largest delivery body accepted, in bytes. @default 1 MiB */
  maxBodyBytes: number;
  /** Per-attempt vendor call timeout. @default 10_000 */
  vendorTimeoutMs: number;
  logLevel: string;
  /** Creates a default tenant and key on first start and connects it to the sandbox. @default true */
  bootstrap: boolean;
}

export const DEFAULT_ALLOWED_HOSTS = [
  'bifrost.deskera.com',
  'bifrost-us.deskera.com',
  'api-staging.deskera.xyz',
  '*.booqable.com',
  'sync.paybook.com',
  'api.syncfy.com',
  'api.rootfi.dev',
  'api.sa.rootfi.dev',
  '*.superoffice.com',
];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const dataDir = resolve(env['HOOKGRAPH_DATA_DIR'] ?? 'data');
  const sandbox = parseBool(env['HOOKGRAPH_SANDBOX'], true);
  const config: Config = {
    port: parseIntStrict(env['PORT'], 4000, 'PORT'),
    host: env['HOST'] ?? '127.0.0.1',
    publicUrl: env['HOOKGRAPH_PUBLIC_URL']?.replace(/\/+$/, '') ?? null,
    databaseUrl: env['DATABASE_URL'] ?? `file:${resolve(dataDir, 'hookgraph.sqlite')}`,
    dataDir,
    secretKey: env['HOOKGRAPH_SECRET_KEY'] ?? null,
    redisUrl: env['REDIS_URL'] ?? null,
    redisPrefix: env['HOOKGRAPH_REDIS_PREFIX'] ?? 'hookgraph',
    sandbox,
    allowedHosts: env['HOOKGRAPH_ALLOWED_HOSTS'] ? splitList(env['HOOKGRAPH_ALLOWED_HOSTS']) : DEFAULT_ALLOWED_HOSTS,
    maxBodyBytes: parseIntStrict(env['HOOKGRAPH_MAX_BODY_BYTES'], 1024 * 1024, 'HOOKGRAPH_MAX_BODY_BYTES'),
    vendorTimeoutMs: parseIntStrict(env['HOOKGRAPH_VENDOR_TIMEOUT_MS'], 10_000, 'HOOKGRAPH_VENDOR_TIMEOUT_MS'),
    logLevel: env['LOG_LEVEL'] ?? 'info',
    bootstrap: parseBool(env['HOOKGRAPH_BOOTSTRAP'], true),
    ...overrides,
  };
  return Object.freeze(config);
}

/** Whether tests that need PostgreSQL and Redis must fail instead of skipping (CI sets it). */
export function servicesRequired(env: Env = process.env): boolean {
  return parseBool(env['HOOKGRAPH_REQUIRE_SERVICES'], false);
}

/** Connection strings for the service-backed tests, with this machine kind's defaults. */
export function serviceUrls(env: Env = process.env): { postgres: string; redis: string } {
  return {
    postgres: env['HOOKGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    redis: env['HOOKGRAPH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
}

function parseBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`expected a boolean (1/0/true/false), got "${value}"`);
}

function parseIntStrict(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
