import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/v4';

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
  /** Public origin used in deliveryUrls (no trailing slash); defaults to http://<host>:<bound port>. */
  publicUrl: string | null;
  /** `file:<absolute path>` for SQLite, or `postgres://…`. @default file:<dataDir>/hookgraph.sqlite */
  databaseUrl: string;
  /** Where the SQLite file and the dev key file live (absolute). @default <package root>/data */
  dataDir: string;
  /** Base64 or hex 32-byte key for AES-256-GCM; null → a generated key file under dataDir. */
  secretKey: string | null;
  /** `redis://…` selects Redis pub/sub for several replicas; null → in-process. */
  redisUrl: string | null;
  /** Prefix for Redis channels, so several deployments can share one Redis. @default 'hookgraph' */
  redisPrefix: string;
  /** Mounts the simulated vendors under /sandbox/<vendor>/ and lets loopback through the host allowlist. */
  sandbox: boolean;
  /**
   * Hosts outbound vendor calls may reach; `*.booqable.com` style wildcards allowed. null: the hosts each
   * provider definition declares (providers/host-guard.ts).
   */
  allowedHosts: string[] | null;
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
  /**
   * Browser origins allowed to call /graphql (CORS) and open its WebSocket, in the serialized form browsers send
   * (`https://app.example.com`); 'loopback': any http://localhost, 127.0.0.1 or [::1] port (graphql/origins.ts).
   * @default 'loopback' in development, none in production
   */
  corsOrigins: string[] | 'loopback';
  /**
   * Hours of hourly buckets `Webhook.health` sums, besides the current hour (store/health.ts); 0 turns the counting
   * off (an ops and bench switch: `health` is then null). @default 24
   */
  healthWindowHours: number;
  /**
   * How often the background reconciler compares every connected tenant's webhooks with its vendors (manage/
   * reconciler.ts); null: never. @default 15 minutes
   */
  reconcileIntervalMs: number | null;
  /** Random delay added to each reconciler pass, so replicas and tenants spread out. @default 60_000 */
  reconcileJitterMs: number;
  /** Whether the reconciler repairs what it finds (re-registers, updates at the vendor), not only reports. @default false */
  reconcileRepair: boolean;
  /** Absences from a vendor's list in a row before a webhook is DELETED where the vendor cannot confirm one. @default 3 */
  reconcileAbsences: number;
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

/** HOOKGRAPH_ALLOWED_HOSTS unset: no list here, each provider definition declares its own hosts. */
export const DEFAULT_ALLOWED_HOSTS = null;

/**
 * The configuration (or what it names: a port, a database, a key) cannot start the gateway. One line per
 * problem, each naming its variable, so the entry point prints them without a stack trace.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * The folder holding hookgraph's package.json, found from this module (src/ or dist/): the default data
 * directory hangs off it, so the server and the CLI find the same database from any working directory.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

type Env = Record<string, string | undefined>;

/** How each variable is documented: the startup log, the error messages' examples and the README table. */
export type SettingDoc = {
  /** A valid value, shown after "e.g." in error messages. */
  example: string;
  /** The default in words (profile-dependent ones say so). */
  default: string;
  description: string;
};
export const settingDocs = z.registry<SettingDoc>();

function doc<T extends z.ZodType>(schema: T, meta: SettingDoc): z.ZodOptional<T> {
  const optional = schema.optional();
  settingDocs.add(optional as z.ZodType, meta);
  return optional;
}

// Schemas: each turns the variable's text into the value; `error` is the phrase after "<VARIABLE> ".
const bool = () =>
  z.stringbool({ truthy: ['1', 'true', 'yes', 'on'], falsy: ['0', 'false', 'no', 'off'], error: 'must be a boolean (1/0/true/false)' });

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const error =
    max === Number.MAX_SAFE_INTEGER ? `must be a whole number of at least ${min}` : `must be a whole number from ${min} to ${max}`;
  return z.string().transform((value, ctx) => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (n >= min && n <= max) return n;
    ctx.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  });
};

const DAY = 86_400_000;
const UNIT_MS = new Map([
  ['d', DAY],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
]);
/** `30d`, `12h`, `90m`, `45s`; `0`, `off` or `forever` keep everything (null). */
const duration = z.string().transform((value, ctx): number | null => {
  if (/^(0|off|forever)$/i.test(value)) return null;
  const m = /^(\d+)\s*([dhms])$/i.exec(value.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS.get((m[2] as string).toLowerCase()) as number) : 0;
  if (ms > 0) return ms;
  ctx.addIssue({ code: 'custom', message: 'must be a duration like 30d, 12h or 90m (or 0/off to keep everything)' });
  return z.NEVER;
});

/** SQLite (`file:`/`sqlite:` and a path) or PostgreSQL (`postgres://`, `postgresql://`); normalized to `file:<absolute path>`. */
const databaseUrl = z.string().transform((value, ctx) => {
  const pg = /^postgres(ql)?:\/\//i.test(value);
  if (pg) {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (url?.hostname) return value;
    ctx.addIssue({ code: 'custom', message: 'must be a PostgreSQL URL with a host (postgres://user:password@host:5432/database)' });
    return z.NEVER;
  }
  const sqlite = /^(file|sqlite):(.*)$/i.exec(value);
  if (!sqlite) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1];
    ctx.addIssue(
      scheme
        ? { code: 'custom', message: `must be a SQLite (file:<path>) or PostgreSQL (postgres://…) URL; ${scheme} is not supported` }
        : {
            code: 'custom',
            message: 'must start with file: or sqlite: (SQLite) or postgres:// (PostgreSQL); a bare path is refused',
            params: { example: `file:${value}` },
          },
    );
    return z.NEVER;
  }
  // `file:///abs` and `sqlite:///abs` are the URL spellings of `file:/abs`.
  const path = (sqlite[2] as string).replace(/^\/\/(?=\/)/, '');
  if (path === ':memory:') return 'file::memory:';
  if (path === '' || path.startsWith('//')) {
    ctx.addIssue({ code: 'custom', message: 'must name a SQLite file: file:<path>, e.g. file:/var/lib/hookgraph/hookgraph.sqlite' });
    return z.NEVER;
  }
  return `file:${resolve(path)}`;
});

/** The public origin vendors deliver to: scheme, host and port only (paths are routes the gateway owns). */
const publicUrl = z.string().transform((value, ctx) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  const problem =
    url === null || !url.hostname
      ? 'must be an absolute URL'
      : url.protocol !== 'https:' && url.protocol !== 'http:'
        ? 'must be an http(s) URL'
        : url.username || url.password
          ? 'must not carry credentials'
          : url.pathname !== '/' || url.search || url.hash
            ? 'must be an origin without path, query or fragment (deliveryUrls add /hooks/…)'
            : null;
  if (problem === null) return (url as URL).origin;
  ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

const redisUrl = z.string().refine((v) => /^rediss?:\/\/./i.test(v) && URL.canParse(v), { error: 'must be a redis:// or rediss:// URL' });

const secretKey = z.string().refine(isSecretKeyText, { error: 'must be 32 bytes as base64 (44 characters) or hex (64 characters)' });

/** Base64 (standard or URL-safe) or hex of exactly 32 bytes. */
export function isSecretKeyText(text: string): boolean {
  return /^[0-9a-f]{64}$/i.test(text) || (/^[A-Za-z0-9+/_-]{43}=?$/.test(text) && Buffer.from(text, 'base64').length === 32);
}

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
const hostList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((hosts) => hosts.length > 0 && hosts.every((h) => HOST_PATTERN.test(h)), {
    error: 'must be a comma-separated list of host names (a leading *. allowed)',
  });

/**
 * Exact browser origins, normalized as browsers serialize them (lower-case host, no default port), without
 * duplicates. `*` is refused, a wildcard host too: every origin allowed is one somebody named.
 */
const originList = z.string().transform((value, ctx) => {
  const origins = new Set<string>();
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    const problem = entry.includes('*')
      ? 'must list exact origins, without * or wildcards: name each origin a browser app is served from'
      : url === null || !url.hostname || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password
        ? `must be a comma-separated list of http(s) origins (scheme://host[:port]); ${JSON.stringify(entry)} is not one`
        : url.pathname !== '/' || url.search || url.hash
          ? `must list origins without path, query or fragment (a browser's Origin header has none); ${JSON.stringify(entry)} has one`
          : null;
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    origins.add((url as URL).origin);
  }
  if (origins.size > 0) return [...origins];
  ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of origins' });
  return z.NEVER;
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting but the limits, with its documentation. */
const settingsSchema = z.object({
  NODE_ENV: doc(z.string(), { example: 'production', default: '(unset)', description: '`production` selects the production profile' }),
  PORT: doc(int(0, 65535), {
    example: '4000',
    default: '4000',
    description: 'the HTTP port (GraphQL, deliveries, health); 0 picks a free one',
  }),
  HOST: doc(z.string().regex(/^[^\s/:]+$|^[0-9a-f:]+$/i, { error: 'must be a host name or IP address (not a URL)' }), {
    example: '0.0.0.0',
    default: '127.0.0.1',
    description: 'the interface to listen on; 0.0.0.0 for every interface',
  }),
  HOOKGRAPH_PUBLIC_URL: doc(publicUrl, {
    example: 'https://hooks.example.com',
    default: 'http://<HOST>:<PORT>',
    description: 'the public origin in every deliveryUrl; setting it selects the production profile',
  }),
  HOOKGRAPH_DATA_DIR: doc(z.string(), {
    example: '/var/lib/hookgraph',
    default: '<package root>/data',
    description: 'where the SQLite file and the development key file live',
  }),
  DATABASE_URL: doc(databaseUrl, {
    example: 'postgres://hookgraph:secret@db:5432/hookgraph',
    default: 'file:<data dir>/hookgraph.sqlite',
    description: 'file:<path> or sqlite:<path> for SQLite; postgres://… or postgresql://… for PostgreSQL',
  }),
  HOOKGRAPH_PG_SCHEMA: doc(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case identifier (a-z, 0-9, _)' }), {
    example: 'hookgraph',
    default: "the connection's current schema",
    description: 'PostgreSQL schema for the tables and migration tables; created if missing',
  }),
  HOOKGRAPH_SECRET_KEY: doc(secretKey, {
    example: '$(openssl rand -base64 32)',
    default: 'development: a key file generated in the data dir',
    description: 'AES-256-GCM key sealing credentials at rest; every replica needs the same one (secret)',
  }),
  REDIS_URL: doc(redisUrl, {
    example: 'redis://redis:6379',
    default: '(unset: in-process pub/sub)',
    description: 'Redis pub/sub, for several replicas',
  }),
  HOOKGRAPH_REDIS_PREFIX: doc(z.string().regex(/^[\w.:-]{1,64}$/, { error: 'must be 1 to 64 letters, digits, _ . : or -' }), {
    example: 'hookgraph-staging',
    default: 'hookgraph',
    description: 'prefix of the Redis channels, so deployments can share one Redis',
  }),
  HOOKGRAPH_SANDBOX: doc(bool(), {
    example: '0',
    default: 'development: on; production: off',
    description: 'serves the simulated vendors under /sandbox/',
  }),
  HOOKGRAPH_BOOTSTRAP: doc(bool(), {
    example: '0',
    default: 'development: on; production: off',
    description: 'first start creates tenant `default` (development prints its key once) and connects it to the sandbox',
  }),
  HOOKGRAPH_RETENTION: doc(duration, {
    example: '30d',
    default: 'development: keep everything; production: 30d',
    description: 'events older than this are pruned (d, h, m, s; 0 or off keeps everything)',
  }),
  HOOKGRAPH_ALLOWED_HOSTS: doc(hostList, {
    example: '*.booqable.com,sync.paybook.com',
    default: "the five vendors' API hosts",
    description: 'hosts outbound vendor calls may reach (port 443 only)',
  }),
  HOOKGRAPH_CORS_ORIGINS: doc(originList, {
    example: 'https://app.example.com,http://localhost:5173',
    default: 'development: any http://localhost, 127.0.0.1 or [::1] port; production: none',
    description: 'browser origins that may call /graphql (CORS) and open its WebSocket; exact origins, * refused',
  }),
  HOOKGRAPH_HEALTH_WINDOW_HOURS: doc(int(0, 720), {
    example: '24',
    default: '24',
    description: 'hours of delivery counts Webhook.health sums (hourly buckets, older ones deleted); 0 turns counting off',
  }),
  HOOKGRAPH_RECONCILE_INTERVAL: doc(duration, {
    example: '15m',
    default: '15m',
    description:
      "how often webhooks are compared with the vendors' lists, findings published as hookgraph.webhook.* events (0 or off: never)",
  }),
  HOOKGRAPH_RECONCILE_JITTER: doc(duration, {
    example: '1m',
    default: '1m',
    description: 'random delay added to each reconciliation pass',
  }),
  HOOKGRAPH_RECONCILE_REPAIR: doc(bool(), {
    example: '1',
    default: 'off',
    description: 'the reconciler repairs drift at the vendor (re-registers, updates), not only reports it',
  }),
  HOOKGRAPH_RECONCILE_ABSENCES: doc(int(1, 100), {
    example: '3',
    default: '3',
    description: "absences from a vendor's list in a row before a webhook is DELETED, where the vendor has no get-one to confirm",
  }),
  HOOKGRAPH_MAX_BODY_BYTES: doc(int(1), { example: '1048576', default: '1048576 (1 MiB)', description: 'largest delivery body' }),
  HOOKGRAPH_VENDOR_TIMEOUT_MS: doc(int(1), { example: '10000', default: '10000', description: 'per-attempt vendor call timeout' }),
  LOG_LEVEL: doc(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), {
    example: 'info',
    default: 'info',
    description: 'pino log level (startup lines are always written unless silent)',
  }),
  HOOKGRAPH_METRICS_TOKEN: doc(z.string().min(16, { error: 'must be at least 16 characters' }), {
    example: '$(openssl rand -hex 24)',
    default: '(unset: /metrics is open)',
    description: '/metrics needs `Authorization: Bearer <token>` (secret)',
  }),
  HOOKGRAPH_METRICS_PORT: doc(int(1, 65535), {
    example: '9464',
    default: '(unset: /metrics on PORT)',
    description: 'serves /metrics on this port instead of the main one',
  }),
});

/** Each limit's field, variable, default and meaning: the README's "Limits" table. */
const LIMITS: ReadonlyArray<readonly [keyof Limits, string, number, string]> = [
  ['maxJsonDepth', 'HOOKGRAPH_MAX_JSON_DEPTH', 64, 'deepest JSON nesting of a delivery (400 past it)'],
  ['maxEventsPerDelivery', 'HOOKGRAPH_MAX_EVENTS_PER_DELIVERY', 1_000, 'most events one delivery may carry (413 past it)'],
  ['bodyTimeoutMs', 'HOOKGRAPH_BODY_TIMEOUT_MS', 10_000, 'time to finish a delivery body once its headers arrived (408 after)'],
  ['headersTimeoutMs', 'HOOKGRAPH_HEADERS_TIMEOUT_MS', 10_000, "time to send a request's headers"],
  ['requestTimeoutMs', 'HOOKGRAPH_REQUEST_TIMEOUT_MS', 30_000, 'time to send a whole request'],
  ['maxConnections', 'HOOKGRAPH_MAX_CONNECTIONS', 10_000, 'open TCP connections to the port'],
  ['vendorMaxResponseBytes', 'HOOKGRAPH_VENDOR_MAX_RESPONSE_BYTES', 10 * 1024 * 1024, 'largest vendor response body read'],
  ['graphqlMaxAliases', 'HOOKGRAPH_GRAPHQL_MAX_ALIASES', 30, 'aliases per GraphQL operation'],
  ['graphqlMaxDepth', 'HOOKGRAPH_GRAPHQL_MAX_DEPTH', 12, 'GraphQL selection depth'],
  ['graphqlMaxTokens', 'HOOKGRAPH_GRAPHQL_MAX_TOKENS', 2_000, 'tokens per GraphQL document'],
  ['graphqlMaxCost', 'HOOKGRAPH_GRAPHQL_MAX_COST', 5_000, 'cost per GraphQL operation (list sizes multiply)'],
  ['graphqlMaxResponseBytes', 'HOOKGRAPH_GRAPHQL_MAX_RESPONSE_BYTES', 16 * 1024 * 1024, 'stored payload bytes one operation may read'],
  ['maxSubscriptionsPerSocket', 'HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_SOCKET', 50, 'subscriptions per graphql-ws socket'],
  ['maxSubscriptionsPerTenant', 'HOOKGRAPH_MAX_SUBSCRIPTIONS_PER_TENANT', 500, 'subscriptions per tenant, per process'],
  ['subscriberBufferEvents', 'HOOKGRAPH_SUBSCRIBER_BUFFER', 1_000, 'events buffered per subscriber before it is closed as too slow'],
];
const limitsSchema = z.object(
  Object.fromEntries(
    LIMITS.map(([, variable, fallback, description]) => [
      variable,
      doc(int(1), { example: String(fallback), default: String(fallback), description }),
    ]),
  ),
);

/** The environment variable that sets a limit, for messages that name it. */
export function limitVariable(field: keyof Limits): string {
  return LIMITS.find(([f]) => f === field)?.[1] ?? field;
}

/** Variables the test suite and the bench read (test/utils/services.ts): known names, never typos. */
const TEST_VARIABLES = ['HOOKGRAPH_REQUIRE_SERVICES', 'HOOKGRAPH_TEST_POSTGRES_URL', 'HOOKGRAPH_TEST_REDIS_URL'];

/** Every variable hookgraph reads. */
export const KNOWN_VARIABLES: readonly string[] = [...Object.keys(settingsSchema.shape), ...LIMITS.map(([, v]) => v), ...TEST_VARIABLES];

/** Every setting's variable, default and meaning, in the README's order (settings, then limits). */
export function settingsTable(): { variable: string; default: string; description: string }[] {
  return [...Object.entries(settingsSchema.shape), ...Object.entries(limitsSchema.shape)].map(([variable, schema]) => {
    const { default: fallback, description } = settingDocs.get(schema) as SettingDoc;
    return { variable, default: fallback, description };
  });
}

/** Variables whose values never appear in logs or messages. */
const SECRET_VARIABLES = new Set(['HOOKGRAPH_SECRET_KEY', 'HOOKGRAPH_METRICS_TOKEN']);
/** Variables holding URLs that may carry a password. */
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'HOOKGRAPH_TEST_POSTGRES_URL', 'HOOKGRAPH_TEST_REDIS_URL']);

/** Tests and embedders override single settings; `limits` may be partial. */
export type ConfigOverrides = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Limits> };

/**
 * Reads and validates the environment. Every problem is collected and thrown at once as a ConfigError,
 * each line naming the variable, what is wrong with the value and a valid example.
 */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Readonly<Config> {
  const set = setVariables(env);
  const settings = settingsSchema.safeParse(set);
  const limits = limitsSchema.safeParse(set);
  const seen = new Set<string>();
  const problems = [...(settings.error?.issues ?? []), ...(limits.error?.issues ?? [])].flatMap((issue) => {
    const variable = String(issue.path[0]);
    // One line per variable: its first problem is the one to fix.
    if (seen.has(variable)) return [];
    seen.add(variable);
    // A custom issue may carry an example made from the value itself (a bare path → file:<that path>).
    const example = issue.code === 'custom' && typeof issue.params?.['example'] === 'string' ? issue.params['example'] : undefined;
    return [problemLine(variable, set[variable], issue.message, example)];
  });
  if (settings.success && settings.data.HOOKGRAPH_PG_SCHEMA && !settings.data.DATABASE_URL?.startsWith('postgres')) {
    problems.push(
      `HOOKGRAPH_PG_SCHEMA applies to PostgreSQL only, but DATABASE_URL is ${settings.data.DATABASE_URL ? 'a SQLite file' : 'unset (SQLite)'}; unset it or e.g. DATABASE_URL=postgres://user:password@host:5432/db`,
    );
  }
  if (
    settings.success &&
    settings.data.HOOKGRAPH_METRICS_PORT !== undefined &&
    settings.data.HOOKGRAPH_METRICS_PORT === settings.data.PORT
  ) {
    problems.push(
      `HOOKGRAPH_METRICS_PORT must differ from PORT (both ${settings.data.PORT}); e.g. HOOKGRAPH_METRICS_PORT=9464, or unset it to serve /metrics on PORT`,
    );
  }
  if (problems.length > 0 || !settings.success || !limits.success) throw new ConfigError(problems);

  const s = settings.data;
  const profile: Profile = s.NODE_ENV === 'production' || s.HOOKGRAPH_PUBLIC_URL !== undefined ? 'production' : 'development';
  const dev = profile === 'development';
  const dataDir = resolve(s.HOOKGRAPH_DATA_DIR ?? join(PACKAGE_ROOT, 'data'));
  const { limits: limitOverrides, ...rest } = overrides;
  const limitValues = Object.fromEntries(
    LIMITS.map(([field, variable, fallback]) => [field, (limits.data[variable] as number | undefined) ?? fallback]),
  );
  const config: Config = {
    profile,
    port: s.PORT ?? 4000,
    host: s.HOST ?? '127.0.0.1',
    publicUrl: s.HOOKGRAPH_PUBLIC_URL ?? null,
    databaseUrl: s.DATABASE_URL ?? `file:${join(dataDir, 'hookgraph.sqlite')}`,
    dataDir,
    secretKey: s.HOOKGRAPH_SECRET_KEY ?? null,
    redisUrl: s.REDIS_URL ?? null,
    redisPrefix: s.HOOKGRAPH_REDIS_PREFIX ?? 'hookgraph',
    sandbox: s.HOOKGRAPH_SANDBOX ?? dev,
    allowedHosts: s.HOOKGRAPH_ALLOWED_HOSTS ?? DEFAULT_ALLOWED_HOSTS,
    maxBodyBytes: s.HOOKGRAPH_MAX_BODY_BYTES ?? 1024 * 1024,
    vendorTimeoutMs: s.HOOKGRAPH_VENDOR_TIMEOUT_MS ?? 10_000,
    logLevel: s.LOG_LEVEL ?? 'info',
    limits: { ...(limitValues as unknown as Limits), ...limitOverrides },
    bootstrap: s.HOOKGRAPH_BOOTSTRAP ?? dev,
    retentionMs: s.HOOKGRAPH_RETENTION !== undefined ? s.HOOKGRAPH_RETENTION : dev ? null : 30 * DAY,
    metricsToken: s.HOOKGRAPH_METRICS_TOKEN ?? null,
    metricsPort: s.HOOKGRAPH_METRICS_PORT ?? null,
    pgSchema: s.HOOKGRAPH_PG_SCHEMA ?? null,
    corsOrigins: s.HOOKGRAPH_CORS_ORIGINS ?? (dev ? 'loopback' : []),
    healthWindowHours: s.HOOKGRAPH_HEALTH_WINDOW_HOURS ?? 24,
    reconcileIntervalMs: s.HOOKGRAPH_RECONCILE_INTERVAL !== undefined ? s.HOOKGRAPH_RECONCILE_INTERVAL : 15 * 60_000,
    reconcileJitterMs: s.HOOKGRAPH_RECONCILE_JITTER !== undefined ? (s.HOOKGRAPH_RECONCILE_JITTER ?? 0) : 60_000,
    reconcileRepair: s.HOOKGRAPH_RECONCILE_REPAIR ?? false,
    reconcileAbsences: s.HOOKGRAPH_RECONCILE_ABSENCES ?? 3,
    ...rest,
  };
  Object.freeze(config.limits);
  return Object.freeze(config);
}

/** A listen failure as one line naming PORT or HOST (a ConfigError), or the error itself when it is something else. */
export function explainListenError(error: Error, { port, host }: Pick<Config, 'port' | 'host'>): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new ConfigError([`PORT ${port} is in use (EADDRINUSE); set PORT to a free port, e.g. PORT=${port === 4000 ? 4001 : 4000}`]);
  if (code === 'EACCES') return new ConfigError([`PORT ${port} needs privileges (EACCES); use a port above 1023, e.g. PORT=4000`]);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConfigError([`HOST ${host} is not an address of this machine (${code}); e.g. HOST=0.0.0.0 for every interface`]);
  }
  return error;
}

/** `VAR must be …, got "value"; e.g. VAR=example`: a secret's value is never echoed, a URL's password never. */
function problemLine(variable: string, value: string | undefined, problem: string, ownExample?: string): string {
  const shape = settingsSchema.shape[variable as keyof typeof settingsSchema.shape] ?? limitsSchema.shape[variable];
  const example = ownExample ?? (shape ? settingDocs.get(shape)?.example : undefined);
  return `${variable} ${problem}, got ${shown(variable, value ?? '')}${example ? `; e.g. ${variable}=${example}` : ''}`;
}

function shown(variable: string, value: string): string {
  if (SECRET_VARIABLES.has(variable)) return `a value of ${value.length} characters`;
  return JSON.stringify(URL_VARIABLES.has(variable) ? redactUrl(value) : value);
}

/** The variables that are set: an empty value counts as unset (`FOO=` in a compose file or a shell). */
function setVariables(env: Env): Record<string, string> {
  const set: Record<string, string> = {};
  for (const name of KNOWN_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') set[name] = value;
  }
  return set;
}

/** A URL with its password (and password-like query parameters) replaced by ***; anything unparsable is cut to its scheme. */
export function redactUrl(text: string): string {
  if (!URL.canParse(text)) {
    // Not a URL, but it may still hold `user:password@`.
    return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
  }
  const url = new URL(text);
  const secretParams = [...url.searchParams.keys()].filter((name) => /pass|secret|key|token/i.test(name));
  // Unchanged when there is nothing to hide: URL would respell `file:/x` as `file:///x`.
  if (!url.password && secretParams.length === 0) return text;
  if (url.password) url.password = '***';
  for (const name of secretParams) url.searchParams.set(name, '***');
  return url.toString();
}

/**
 * What the startup log shows: every variable that is set (so every setting that is not a default), with
 * secrets replaced by `[redacted]` and URL passwords by `***`.
 */
export function describeSettings(env: Env = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(setVariables(env))) {
    out[name] = SECRET_VARIABLES.has(name) ? '[redacted]' : URL_VARIABLES.has(name) ? redactUrl(value) : value;
  }
  return out;
}

/**
 * Things worth a warning that still start: HOOKGRAPH_* names that are not settings (likely typos, with the
 * closest known name), and production choices that usually are mistakes.
 */
export function configWarnings(env: Env, config: Readonly<Config>): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env)) {
    if (!/^hookgraph_/i.test(name) || KNOWN_VARIABLES.includes(name)) continue;
    const guess = closestVariable(name);
    warnings.push(`${name} is not a hookgraph setting and is ignored${guess ? `; did you mean ${guess}?` : ''}`);
  }
  if (config.profile === 'production') {
    if (config.sandbox) warnings.push('HOOKGRAPH_SANDBOX is on in production: the simulated vendors are served under /sandbox/');
    if (config.secretKey === null) {
      warnings.push(
        `HOOKGRAPH_SECRET_KEY is not set: credentials are sealed with the key file in ${config.dataDir}; replicas must share one key, e.g. HOOKGRAPH_SECRET_KEY=$(openssl rand -base64 32)`,
      );
    }
    if (config.publicUrl === null) {
      warnings.push(
        'HOOKGRAPH_PUBLIC_URL is not set: deliveryUrls name this listener, which vendors cannot reach; e.g. HOOKGRAPH_PUBLIC_URL=https://hooks.example.com',
      );
    }
  }
  return warnings;
}

/** The known name nearest to a misspelt one (case, a missing prefix, or a few edited letters), if any is near. */
function closestVariable(name: string): string | null {
  const upper = name.toUpperCase();
  const bare = upper.replace(/^HOOKGRAPH_/, '');
  let best: { name: string; distance: number } | null = null;
  for (const known of KNOWN_VARIABLES) {
    const distance = Math.min(editDistance(upper, known), editDistance(bare, known));
    if (distance <= Math.max(2, Math.floor(known.length / 6)) && (best === null || distance < best.distance))
      best = { name: known, distance };
  }
  return best?.name ?? null;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
