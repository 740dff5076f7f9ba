import { resolve } from 'node:path';

/** development: `npm start` on a fresh clone; production: NODE_ENV=production or HOOKGRAPH_PUBLIC_URL set. */
export type Profile = 'development' | 'production';

/** The gateway's whole configuration. Built only here, from the environment; frozen. */
export interface Config {
  /** Chooses the defaults of sandbox, bootstrap, retention and CORS. */
  profile: Profile;
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
  /** Limits on everything that comes from outside (see the README's "Limits" table). */
  limits: Limits;
  /** Creates a default tenant and key on first start and connects it to the sandbox. @default true in development */
  bootstrap: boolean;
  /** Events older than this are pruned; null keeps everything. @default null in development, 30 days in production */
  retentionMs: number | null;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** When set, /metrics is served on this port (and not on the main one). */
  metricsPort: number | null;
  /** PostgreSQL schema for hookgraph's tables (and its migration tables); null → the connection's current schema. */
  pgSchema: string | null;
}

/** Bounds on input from tenants, vendors and clients; set so real clients never meet them. */
export interface Limits {
  /** Deepest JSON nesting a delivery may have (objects and arrays). @default 64 */
  maxJsonDepth: number;
  /** Most events one delivery may carry (Paybook V3 batches, RootFi batches). @default 1_000 */
  maxEventsPerDelivery: number;
  /** Time a sender has to finish a delivery body once its headers arrived; 408 after. @default 10_000 */
  bodyTimeoutMs: number;
  /** Time a client has to send a request's headers. @default 10_000 */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request (any route). @default 30_000 */
  requestTimeoutMs: number;
  /** Open TCP connections to the one port. @default 10_000 */
  maxConnections: number;
  /** Largest vendor response body read; a typed ProviderError above. @default 10 MiB */
  vendorMaxResponseBytes: number;
  /** GraphQL aliases per operation. @default 30 */
  graphqlMaxAliases: number;
  /** GraphQL selection depth. @default 12 */
  graphqlMaxDepth: number;
  /** GraphQL tokens per document. @default 2_000 */
  graphqlMaxTokens: number;
  /** GraphQL cost per operation (list sizes multiply, payload reads count). @default 5_000 */
  graphqlMaxCost: number;
  /** Bytes of stored payload one operation (or one subscription event) may read. @default 16 MiB */
  graphqlMaxResponseBytes: number;
  /** Subscriptions one graphql-ws socket may hold. @default 50 */
  maxSubscriptionsPerSocket: number;
  /** Subscriptions one tenant may hold over every transport, per process. @default 500 */
  maxSubscriptionsPerTenant: number;
  /** Events buffered for one subscriber before it is closed as too slow (resumable). @default 1_000 */
  subscriberBufferEvents: number;
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

/** Tests and embedders override single settings; `limits` may be partial. */
export type ConfigOverrides = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Limits> };

export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Readonly<Config> {
  const { limits: limitOverrides, ...rest } = overrides;
  const dataDir = resolve(env['HOOKGRAPH_DATA_DIR'] ?? 'data');
  const int = (name: string, fallback: number) => parseIntStrict(env[name], fallback, name);
  const profile: Profile = env['NODE_ENV'] === 'production' || env['HOOKGRAPH_PUBLIC_URL'] ? 'production' : 'development';
  const dev = profile === 'development';
  const sandbox = parseBool(env['HOOKGRAPH_SANDBOX'], dev);
  const config: Config = {
    profile,
    port: int('PORT', 4000),
    host: env['HOST'] ?? '127.0.0.1',
    publicUrl: env['HOOKGRAPH_PUBLIC_URL']?.replace(/\/+$/, '') ?? null,
    databaseUrl: env['DATABASE_URL'] ?? `file:${resolve(dataDir, 'hookgraph.sqlite')}`,
    dataDir,
    secretKey: env['HOOKGRAPH_SECRET_KEY'] ?? null,
    redisUrl: env['REDIS_URL'] ?? null,
    redisPrefix: env['HOOKGRAPH_REDIS_PREFIX'] ?? 'hookgraph',
    sandbox,
    allowedHosts: env['HOOKGRAPH_ALLOWED_HOSTS'] ? splitList(env['HOOKGRAPH_ALLOWED_HOSTS']) : DEFAULT_ALLOWED_HOSTS,
    maxBodyBytes: int('HOOKGRAPH_MAX_BODY_BYTES', 1024 * 1024),
    vendorTimeoutMs: int('HOOKGRAPH_VENDOR_TIMEOUT_MS', 10_000),
    logLevel: env['LOG_LEVEL'] ?? 'info',
    limits: {
      maxJsonDepth: int('HOOKGRAPH_MAX_JSON_DEPTH', 64),
      maxEventsPerDelivery: int('HOOKGRAPH_MAX_EVENTS_PER_DELIVERY', 1_000),
      bodyTimeoutMs: int('HOOKGRAPH_BODY_TIMEOUT_MS', 10_000),
      headersTimeoutMs: int('HOOKGRAPH_HEADERS_TIMEOUT_MS', 10_000),
      requestTimeoutMs: int('HOOKGRAPH_REQUEST_TIMEOUT_MS', 30_000),
      maxConnections: int('HOOKGRAPH_MAX_CONNECTIONS', 10_000),
      vendorMaxResponseBytes: int('HOOKGRAPH_VENDOR_MAX_RESPONSE_BYTES', 10 * 1024 * 1024),
      graphqlMaxAliases: int('HOOKGRAPH_GRAPHQL_MAX_ALIASES', 30),
      graphqlMaxDepth: int('HOOKGRAPH_GRAPHQL_MAX_DEPTH', 12),
      graphqlMaxTokens: int('HOOKGRAPH_GRAPHQL_MAX_TOKENS', 2_000),
      graphqlMaxCost: int('HOOKGRAPH_GRAPHQL_MAX_COST', 5_000),
      graphqlMaxResponseBytes: int('HOOKGRAPH_GRAPHQL_MAX_RESPONSE_BYTES', 16 * 1024 * 1024),
      maxSubscriptionsPerSocket: int('HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET', 50),
      maxSubscriptionsPerTenant: int('HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_TENANT', 500),
      subscriberBufferEvents: int('HOOKGRAPH_SUBSCRIBER_BUFFER', 1_000),
      ...limitOverrides,
    },
    bootstrap: parseBool(env['HOOKGRAPH_BOOTSTRAP'], dev),
    retentionMs: env['HOOKGRAPH_RETENTION'] ? parseDuration(env['HOOKGRAPH_RETENTION'], 'HOOKGRAPH_RETENTION') : dev ? null : 30 * DAY,
    metricsToken: env['HOOKGRAPH_METRICS_TOKEN'] || null,
    metricsPort: env['HOOKGRAPH_METRICS_PORT'] ? int('HOOKGRAPH_METRICS_PORT', 0) : null,
    pgSchema: env['HOOKGRAPH_PG_SCHEMA'] || null,
    ...rest,
  };
  Object.freeze(config.limits);
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

const DAY = 86_400_000;

/** `30d`, `12h`, `90m`, `45s`; `0`, `off` or `forever` keep everything (null). */
function parseDuration(value: string, name: string): number | null {
  if (/^(0|off|forever)$/i.test(value)) return null;
  const m = /^(\d+)\s*(d|h|m|s)$/i.exec(value.trim());
  if (!m) throw new Error(`${name} must be a duration like 30d, 12h or 90m (or 0 to keep everything), got "${value}"`);
  const unit = { d: DAY, h: 3_600_000, m: 60_000, s: 1_000 }[(m[2] as string).toLowerCase() as 'd' | 'h' | 'm' | 's'];
  return Number(m[1]) * unit;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}
