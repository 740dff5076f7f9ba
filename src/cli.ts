import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import { Agent } from 'undici';
import { consoleCommand } from './cli-console.js';
import { type Config, loadConfig } from './config.js';
import { createSealer } from './crypto.js';
import { type AccessScope, parseScopes } from './domain/access.js';
import { ValidationError } from './domain/errors.js';
import { type ProviderKey, providerKeys, providerSlug } from './domain/provider-key.js';
import { createConnectionManager } from './manage/connections.js';
import { createSandboxEvents } from './manage/sandbox-events.js';
import { createHostGuard } from './providers/host-guard.js';
import { createHttpClient } from './providers/http.js';
import { createSandbox, loopbackOrigin, SANDBOX_PREFIX } from './sandbox/index.js';
import { resolveSecretKey, type SecretKey } from './secret-key.js';
import { checkSecretKey } from './store/key-check.js';
import { createStore, type Store } from './store/store.js';
import type { Tenant, TenantRetention } from './domain/tenant.js';

/**
 * The `hookgraph` command. It finds the database the way the server does (DATABASE_URL, HOOKGRAPH_DATA_DIR, else
 * the package's own data directory), never from the working directory. Exit codes: 0 done, 1 failed, 2 usage.
 * Errors are one line on stderr, without a stack trace: they are the operator's to act on, not a bug report.
 */

/** A failure to report as one line (exit 1): a missing tenant, an unknown key. */
class CliError extends Error {}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

interface Io {
  out(line?: string): void;
  err(line: string): void;
}
const io: Io = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Opens the store the server uses, runs `fn`, closes it whatever happens. */
async function withStore<T>(fn: (store: Store, config: Readonly<Config>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { key, origin } = resolveSecretKey(config.secretKey, config.dataDir);
  const store = await createStore({ databaseUrl: config.databaseUrl, secretKey: key, pgSchema: config.pgSchema, keyOrigin: origin });
  try {
    return await fn(store, config);
  } finally {
    await store.close();
  }
}

/**
 * The tenant `name`, created only when asked: a typo in --tenant must not silently start a new tenant. `create` is
 * undefined for commands that have no --create option (their message points at the tenant list instead).
 */
async function tenantNamed(store: Store, name: string, { create }: { create?: boolean } = {}): Promise<Tenant> {
  const found = await store.tenants.findByName(name);
  if (found) return found;
  if (create === undefined) throw new CliError(`no tenant named ${name} (hookgraph tenants list shows them)`);
  if (!create) throw new CliError(`no tenant named ${name}; add --create to create it`);
  const { tenant, created } = await store.tenants.getOrCreate(name);
  if (created) io.out(`created tenant ${tenant.name}`);
  return tenant;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));

const DURATION_UNITS = new Map([
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
]);

/** `30d`, `12h`, `90m` → milliseconds; null for anything else (zero included). */
function durationMs(value: string): number | null {
  const m = /^(\d+)([dhm])$/i.exec(value.trim());
  const unit = m ? DURATION_UNITS.get((m[2] as string).toLowerCase()) : undefined;
  const n = m ? Number(m[1]) : 0;
  return unit && n > 0 ? n * unit : null;
}

/** `30d`, `12h`, `90m` → milliseconds; `forever` keeps every event; `default` follows HOOKGRAPH_RETENTION (null). */
function parseRetention(value: string): TenantRetention {
  if (/^forever$/i.test(value)) return 'forever';
  if (/^default$/i.test(value)) return null;
  const ms = durationMs(value);
  if (ms === null) throw new InvalidArgumentError('expected a duration like 30d, 12h or 90m, forever, or default');
  return ms;
}

/** A key that must outlive this is better made without --expires (and far-off dates overflow Date). */
const MAX_KEY_LIFETIME_MS = 3_650 * 86_400_000;

/** --expires: `30d`, `12h`, `90m` from now, in milliseconds. */
function parseExpires(value: string): number {
  const ms = durationMs(value);
  if (ms === null || ms > MAX_KEY_LIFETIME_MS) throw new InvalidArgumentError('expected a duration like 30d, 12h or 90m, at most 3650d');
  return ms;
}

function parseScopeList(value: string): AccessScope[] {
  try {
    return parseScopes(value);
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function formatRetention(ms: number | null): string {
  if (ms === null) return 'forever';
  for (const [unit, size] of DURATION_UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function parseProvider(value: string): ProviderKey {
  const key = providerKeys.find((k) => k === value.toUpperCase());
  if (!key) throw new InvalidArgumentError(`unknown provider ${value}; one of ${providerKeys.map(providerSlug).join(', ')}`);
  return key;
}

function parseMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of milliseconds');
  return n;
}

// ---- keys -----------------------------------------------------------------------------------------

function keysCommand(): Command {
  const keys = new Command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create an API key for a tenant; the key is printed once, as the last line')
    .requiredOption('--tenant <name>', 'the tenant the key belongs to')
    .option('--name <label>', 'a label to recognise the key by', 'cli')
    .addOption(
      new Option('--scope <list>', 'what the key may do: a comma list of admin, read, subscribe')
        .argParser(parseScopeList)
        .default(['ADMIN'], 'admin'),
    )
    .addOption(new Option('--expires <duration>', 'the key stops working after 30d, 12h, 90m… (default: never)').argParser(parseExpires))
    .option('--create', 'create the tenant when it does not exist')
    .action((opts: { tenant: string; name: string; scope: AccessScope[]; expires?: number; create?: boolean }) =>
      withStore(async (store) => {
        const tenant = await tenantNamed(store, opts.tenant, { create: opts.create === true });
        const expiresAt = opts.expires === undefined ? null : new Date(Date.now() + opts.expires);
        const { key, info } = await store.apiKeys.create(tenant.id, opts.name, { scopes: opts.scope, expiresAt });
        const expiry = expiresAt ? `expires ${expiresAt.toISOString()}` : 'never expires';
        io.out(`created key ${info.id} for tenant ${tenant.name} (${info.scopes.join(',').toLowerCase()}; ${expiry}); it is shown once:`);
        io.out(key);
      }),
    );
  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--tenant <name>', 'only this tenant’s keys')
    .option('--json', 'print a JSON array')
    .action((opts: { tenant?: string; json?: boolean }) =>
      withStore(async (store) => {
        const tenant = opts.tenant === undefined ? null : await tenantNamed(store, opts.tenant);
        const list = await store.apiKeys.list(tenant?.id);
        if (opts.json) {
          json(
            list.map((k) => ({
              id: k.id,
              tenant: k.tenantName,
              name: k.name,
              createdAt: k.createdAt,
              revokedAt: k.revokedAt,
              scopes: k.scopes,
              filter: k.filter,
              expiresAt: k.expiresAt,
              lastUsedAt: k.lastUsedAt,
            })),
          );
          return;
        }
        if (list.length === 0) return io.out('no keys');
        const now = Date.now();
        const status = (k: (typeof list)[number]) =>
          k.revokedAt
            ? `revoked ${k.revokedAt.toISOString()}`
            : k.expiresAt && k.expiresAt.getTime() <= now
              ? `expired ${k.expiresAt.toISOString()}`
              : 'active';
        const rows = list.map((k) => [
          k.id,
          k.tenantName,
          k.name,
          k.scopes.join(',').toLowerCase(),
          k.createdAt.toISOString(),
          k.expiresAt?.toISOString() ?? 'never',
          k.lastUsedAt?.toISOString() ?? 'never',
          status(k),
        ]);
        const header = ['ID', 'TENANT', 'NAME', 'SCOPES', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'];
        for (const line of table([header, ...rows])) io.out(line);
      }),
    );
  keys
    .command('revoke')
    .description('revoke a key (by its id, or the whole key); revoking twice is not an error')
    .argument('<key>', 'the key id (the 12 characters after hg_) or the key itself')
    .action((idOrKey: string) =>
      withStore(async (store) => {
        // The id alone is ever printed: a whole key passed here is a secret.
        const id = /^hg_([A-Za-z0-9]{12})_/.exec(idOrKey)?.[1] ?? idOrKey;
        if (await store.apiKeys.revoke(idOrKey)) return io.out(`revoked key ${id}`);
        const known = (await store.apiKeys.list()).find((k) => k.id === id);
        if (!known) throw new CliError(`no key ${id.slice(0, 24)}`);
        io.out(`key ${id} was already revoked (${known.revokedAt?.toISOString() ?? 'earlier'})`);
      }),
    );
  return keys;
}

// ---- tenants --------------------------------------------------------------------------------------

function tenantsCommand(): Command {
  const tenants = new Command('tenants').description('list tenants and set their retention');
  tenants
    .command('list')
    .description('list tenants with their connected vendors and keys')
    .option('--json', 'print a JSON array')
    .action((opts: { json?: boolean }) =>
      withStore(async (store, config) => {
        const all = await store.tenants.list();
        const keys = await store.apiKeys.list();
        const described = await Promise.all(
          all.map(async (t) => ({
            id: t.id,
            name: t.name,
            createdAt: t.createdAt,
            providers: (await store.connections.list(t.id)).map((c) => c.provider),
            activeKeys: keys.filter((k) => k.tenantId === t.id && k.revokedAt === null).length,
            // What the pruner applies: the tenant's own window, else HOOKGRAPH_RETENTION; null keeps everything.
            retentionMs: t.retention === 'forever' ? null : (t.retention ?? config.retentionMs),
            retentionOverride: t.retention !== null,
          })),
        );
        if (opts.json) return json(described);
        if (described.length === 0) return io.out('no tenants');
        const rows = described.map((t) => [
          t.name,
          t.id,
          t.createdAt.toISOString(),
          String(t.activeKeys),
          `${formatRetention(t.retentionMs)}${t.retentionOverride ? '' : ' (default)'}`,
          t.providers.join(',') || '-',
        ]);
        for (const line of table([['NAME', 'ID', 'CREATED', 'KEYS', 'RETENTION', 'CONNECTED'], ...rows])) io.out(line);
      }),
    );
  tenants
    .command('retention')
    .description("set how long a tenant's events are kept, overriding HOOKGRAPH_RETENTION")
    .argument('<name>', 'the tenant')
    .argument('<duration>', '30d, 12h or 90m; forever; or default (back to HOOKGRAPH_RETENTION)', parseRetention)
    .action((name: string, retention: TenantRetention) =>
      withStore(async (store, config) => {
        const tenant = await tenantNamed(store, name);
        await store.tenants.setRetention(tenant.id, retention);
        const kept = (ms: number | null) => (ms === null ? 'forever' : `for ${formatRetention(ms)}`);
        if (retention === null) io.out(`tenant ${tenant.name} follows HOOKGRAPH_RETENTION: events are kept ${kept(config.retentionMs)}`);
        else io.out(`tenant ${tenant.name} keeps events ${kept(retention === 'forever' ? null : retention)}`);
      }),
    );
  return tenants;
}

// ---- sandbox --------------------------------------------------------------------------------------

function sandboxCommand(): Command {
  const sandbox = new Command('sandbox').description('the simulated vendors served under /sandbox/');
  sandbox
    .command('connect')
    .description(
      'connect a tenant to the sandbox vendors (all five, or one): each opens an account with random credentials, ' +
        'stored sealed; the server need not run, but PORT must be the one it will listen on',
    )
    .requiredOption('--tenant <name>', 'the tenant to connect')
    .addOption(new Option('--provider <key>', 'only this vendor').argParser(parseProvider))
    .option('--create', 'create the tenant when it does not exist')
    .action((opts: { tenant: string; provider?: ProviderKey; create?: boolean }) =>
      withStore(async (store, config) => {
        if (!config.sandbox)
          throw new CliError('the sandbox is off (set HOOKGRAPH_SANDBOX=1): the gateway would not serve the sandbox vendors');
        if (config.port === 0)
          throw new CliError('PORT=0 picks a port at start: sandbox connect needs the fixed PORT the gateway listens on');
        const tenant = await tenantNamed(store, opts.tenant, { create: opts.create === true });
        // The connection's baseUrl is the gateway's loopback origin as the server will bind it (HOST, PORT).
        const origin = loopbackOrigin(config.host, config.port);
        const vendors = createSandbox({ store: store.sandbox, gatewayOrigins: () => [config.publicUrl, origin] }).vendors;
        const events = createSandboxEvents({ store, vendors, mountUrl: (p) => `${origin}${SANDBOX_PREFIX}${providerSlug(p)}` });
        const { connections, created } = await events.connect(tenant.id, opts.provider ?? null);
        for (const c of connections)
          io.out(`${c.provider}\t${created.includes(c.provider) ? 'connected' : 'already connected'}\t${c.baseUrl}`);
        if (connections.length === 0) io.out(`tenant ${tenant.name} is connected to real vendors only; nothing to do`);
      }),
    );
  return sandbox;
}

// ---- doctor ---------------------------------------------------------------------------------------

interface Check {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  detail: string;
}

/** An error's own words on one line, with the system error code under it (ECONNREFUSED…); never its stack. */
function messageOf(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).trim().replace(/\s*\n\s*/g, '; ');
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Rejects after `ms`, so no check can hang the command. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks what a start would need, each on its own line: configuration, database (reachable, migrations
 * applied), Redis, the secret key (it opens what is sealed in the database), and one cheap authenticated
 * call per vendor connection of every tenant. Reads only; a Deskera token refresh is saved as the server would.
 */
async function doctor({ timeoutMs }: { timeoutMs: number }): Promise<Check[]> {
  const checks: Check[] = [];
  const record = (name: string, status: Check['status'], detail: string) => checks.push({ name, status, detail });

  let config: Readonly<Config>;
  try {
    config = loadConfig();
    record('configuration', 'ok', `${config.profile} profile; sandbox ${config.sandbox ? 'on' : 'off'}; data dir ${config.dataDir}`);
  } catch (error) {
    record('configuration', 'fail', messageOf(error));
    return checks;
  }

  if (config.redisUrl === null) record('redis', 'skip', 'REDIS_URL not set: in-process pub/sub');
  else {
    const redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // Without a listener ioredis prints each connection error itself.
    redis.on('error', () => {});
    try {
      await within(
        timeoutMs,
        'redis',
        redis.connect().then(() => redis.ping()),
      );
      record('redis', 'ok', `PING answered at ${new URL(config.redisUrl).host}`);
    } catch (error) {
      record('redis', 'fail', messageOf(error));
    } finally {
      redis.disconnect();
    }
  }

  // The doctor does not mint a key file: that would hide a missing one.
  const keyFile = join(config.dataDir, 'secret.key');
  let secret: SecretKey;
  try {
    if (config.secretKey === null && !existsSync(keyFile))
      throw new Error(`HOOKGRAPH_SECRET_KEY is not set and there is no key file ${keyFile}`);
    secret = resolveSecretKey(config.secretKey, config.dataDir);
  } catch (error) {
    record('secret key', 'fail', messageOf(error));
    return checks;
  }

  // Opening a SQLite path creates the file: the doctor would hide the very mistake it is looking for.
  const sqliteFile = /^file:(?!:memory:)(.+)$/.exec(config.databaseUrl)?.[1];
  if (sqliteFile !== undefined && !existsSync(sqliteFile)) {
    record('database', 'fail', `${config.databaseUrl} does not exist: check DATABASE_URL/HOOKGRAPH_DATA_DIR, or run \`hookgraph migrate\``);
    return checks;
  }
  let store: Store;
  try {
    store = await within(
      timeoutMs,
      'database',
      createStore({ databaseUrl: config.databaseUrl, secretKey: secret.key, pgSchema: config.pgSchema, migrate: false, checkKey: false }),
    );
  } catch (error) {
    record('database', 'fail', messageOf(error));
    return checks;
  }
  const guard = hostGuard(config);
  const agent = new Agent({ connect: { lookup: guard.lookup } });
  try {
    try {
      await within(timeoutMs, 'database', store.ping());
      const applied = await appliedMigrations(store);
      if (applied.length === 0)
        throw new Error(`${store.describe} has no migrations applied: run \`hookgraph migrate\` (or start the server once)`);
      record('database', 'ok', `${store.describe}; ${applied.length} migrations applied, the last ${applied.at(-1)}`);
    } catch (error) {
      record('database', 'fail', messageOf(error));
      return checks;
    }

    try {
      // The value every start opens (store/key-check.ts): a key that does not open it opens nothing sealed here.
      await checkSecretKey(store.kysely as unknown as Kysely<unknown>, createSealer(secret.key), {
        describe: store.describe,
        keyOrigin: secret.origin,
      });
      record('secret key', 'ok', `${secret.origin} opens the data sealed in the database`);
    } catch (error) {
      record('secret key', 'fail', messageOf(error));
      return checks;
    }

    const tenants = await store.tenants.list();
    const connections = (
      await Promise.all(tenants.map(async (t) => (await store.connections.list(t.id)).map((c) => ({ tenant: t, c }))))
    ).flat();
    const manager = createConnectionManager({
      store,
      // No retries: the doctor reports the first answer, within its own timeout.
      httpFor: (p) => createHttpClient(p, { dispatcher: agent, timeoutMs, retries: 0, assertAllowedUrl: guard.assertAllowedUrl }),
      assertAllowedUrl: guard.assertAllowedUrl,
    });
    if (connections.length === 0) record('vendors', 'skip', 'no tenant is connected to a vendor');
    const results = await Promise.all(
      connections.map(async ({ tenant, c }) => {
        const started = performance.now();
        try {
          const connector = await manager.connector(tenant.id, c.provider);
          await within(timeoutMs + 1_000, c.baseUrl, connector.verifyCredentials());
          return {
            name: `${tenant.name}/${providerSlug(c.provider)}`,
            status: 'ok' as const,
            detail: `${c.baseUrl} (${Math.round(performance.now() - started)} ms)`,
          };
        } catch (error) {
          return {
            name: `${tenant.name}/${providerSlug(c.provider)}`,
            status: 'fail' as const,
            detail: `${c.baseUrl}: ${messageOf(error)}`,
          };
        }
      }),
    );
    checks.push(...results);
    return checks;
  } finally {
    await agent.close();
    await store.close();
  }
}

/** The same guard as the server's: allowed vendor hosts, and the gateway's own /sandbox/ when the sandbox is on. */
function hostGuard(config: Readonly<Config>) {
  const origin = config.sandbox && config.port !== 0 ? loopbackOrigin(config.host, config.port) : null;
  return createHostGuard({ allowedHosts: config.allowedHosts, sandboxOrigin: () => origin, sandboxPathPrefix: SANDBOX_PREFIX });
}

/** Names of the migrations recorded in Kysely's table, oldest first (the current schema's table on PostgreSQL). */
async function appliedMigrations(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.kysely);
  return rows.map((r) => r.name);
}

function doctorCommand(): Command {
  return new Command('doctor')
    .description('check configuration, database, Redis, the secret key and every connected vendor')
    .option('--json', 'print the checks as JSON')
    .addOption(new Option('--timeout <ms>', 'longest wait for any one check').argParser(parseMs).default(5_000))
    .action(async (opts: { json?: boolean; timeout: number }) => {
      const checks = await doctor({ timeoutMs: opts.timeout });
      const ok = checks.every((c) => c.status !== 'fail');
      if (opts.json) json({ ok, checks });
      else for (const line of table(checks.map((c) => [c.status, c.name, c.detail]))) io.out(line);
      if (!ok) process.exitCode = 1;
    });
}

// ---- the program ----------------------------------------------------------------------------------

function program(): Command {
  const root = new Command('hookgraph')
    .description('hookgraph: a multi-tenant GraphQL gateway for SaaS webhooks')
    .version(pkg.version, '-v, --version', 'print the version')
    // The settings below are copied to every subcommand added after them.
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  root
    .command('start')
    .description('run the gateway (same as npm start)')
    .action(async () => {
      serving = true;
      await import('./server.js');
    });
  root
    .command('migrate')
    .description('apply database migrations and exit')
    .action(() => withStore(async (store) => io.out(`migrated ${store.describe}`)));
  root.addCommand(keysCommand());
  root.addCommand(tenantsCommand());
  root.addCommand(sandboxCommand());
  root.addCommand(doctorCommand());
  root.addCommand(consoleCommand({ withStore, tenantNamed, out: io.out }));
  for (const sub of root.commands) inheritSettings(sub);
  return root;
}

/** addCommand() does not copy the root's settings the way command() does. */
function inheritSettings(command: Command): void {
  command.exitOverride().showHelpAfterError();
  for (const sub of command.commands) inheritSettings(sub);
}

async function main(argv: string[]): Promise<number> {
  const root = program();
  try {
    await root.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Commander has printed its own message (or the help, or the version) already.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // A ConfigError holds one problem per line, each naming its variable.
    const message = error instanceof Error ? error.message : String(error);
    for (const line of message.trim().split('\n')) io.err(`error: ${line.trim()}`);
    return 1;
  }
}

/** Set by `start`: the process then lives as the server does. */
let serving = false;
process.exitCode = await main(process.argv.slice(2));
// A command is done once it has answered: a handle a failed check leaves open (a PostgreSQL connection still
// trying an unreachable host) must not hold the prompt. A process with nothing left open exits before this fires.
if (!serving) setTimeout(() => process.exit(), 1_000).unref();
