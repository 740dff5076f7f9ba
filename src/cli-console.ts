import { Command, InvalidArgumentError, Option } from 'commander';
import type { Config } from './config.js';
import type { Tenant } from './domain/tenant.js';
import { createAccess, TOKEN_TTL } from './manage/access.js';
import { loopbackOrigin } from './sandbox/index.js';
import { resolveSecretKey } from './secret-key.js';
import type { ApiKeyInfo } from './store/api-keys.js';
import type { Store } from './store/store.js';
import { createEventBus } from './stream/bus.js';

/**
 * `hookgraph console --tenant acme`: a link that signs a browser into the web console as that tenant, with a
 * short-lived ADMIN token (`/console/#token=<jwt>`; the console takes it out of the address bar). The token is
 * minted, with the gateway's secret key, from the tenant's key named `console` (created with ADMIN scope when the
 * tenant has no live one): revoking that key (`hookgraph keys revoke <id>`) ends every console session at once.
 * The key itself is never printed, nor stored anywhere but as its hash.
 */

/** The name of the key every console link of a tenant is minted from. */
export const CONSOLE_KEY_NAME = 'console';
const DEFAULT_TTL_SECONDS = 15 * 60;
const TTL_UNITS = new Map([
  ['s', 1],
  ['m', 60],
  ['h', 3_600],
]);

/** `--ttl`: `90s`, `15m`, `2h`, at most 24 hours (the longest a token may live). */
export function parseTtl(value: string): number {
  const m = /^(\d{1,6})([smh])$/i.exec(value.trim());
  const unit = m ? TTL_UNITS.get((m[2] as string).toLowerCase()) : undefined;
  const seconds = m && unit ? Number(m[1]) * unit : 0;
  if (seconds < 1 || seconds > TOKEN_TTL.maxSeconds) throw new InvalidArgumentError('expected a duration like 90s, 15m or 2h, at most 24h');
  return seconds;
}

export interface ConsoleLink {
  url: string;
  expiresAt: Date;
  /** The id of the `console` key the token was minted from (never the key). */
  keyId: string;
  /** Whether that key was created now. */
  createdKey: boolean;
}

/** Where browsers reach the gateway: HOOKGRAPH_PUBLIC_URL, else the loopback origin it listens on (HOST, PORT). */
export function consoleOrigin(config: Readonly<Config>): string {
  if (config.publicUrl !== null) return config.publicUrl.replace(/\/+$/, '');
  if (config.port === 0) throw new Error('PORT=0 picks a port at start: set HOOKGRAPH_PUBLIC_URL or the fixed PORT the gateway listens on');
  return loopbackOrigin(config.host, config.port);
}

/** The tenant's live ADMIN key named `console`, created when there is none. */
async function consoleKey(store: Store, tenant: Tenant): Promise<{ info: ApiKeyInfo; created: boolean }> {
  const now = Date.now();
  const live = (await store.apiKeys.list(tenant.id)).find(
    (k) =>
      k.name === CONSOLE_KEY_NAME &&
      k.revokedAt === null &&
      (k.expiresAt === null || k.expiresAt.getTime() > now) &&
      k.scopes.includes('ADMIN') &&
      k.filter === null,
  );
  if (live) return { info: live, created: false };
  // The key's secret is dropped here: tokens need only its id, and the database keeps only its hash.
  const { info } = await store.apiKeys.create(tenant.id, CONSOLE_KEY_NAME, { scopes: ['ADMIN'] });
  return { info, created: true };
}

/** Mints a console link for `tenant` (see the file comment). */
export async function mintConsoleLink(
  store: Store,
  config: Readonly<Config>,
  tenant: Tenant,
  { ttlSeconds = DEFAULT_TTL_SECONDS }: { ttlSeconds?: number } = {},
): Promise<ConsoleLink> {
  const origin = consoleOrigin(config);
  const { info, created } = await consoleKey(store, tenant);
  const bus = createEventBus({ redisUrl: null });
  const access = createAccess({ apiKeys: store.apiKeys, bus, secretKey: resolveSecretKey(config.secretKey, config.dataDir).key });
  try {
    const viewer = { tenant, keyId: info.id, kind: 'key' as const, scopes: info.scopes, filter: info.filter, expiresAt: info.expiresAt };
    const { token, expiresAt } = await access.mintToken(viewer, { scopes: ['ADMIN'], filter: null, ttlSeconds });
    return { url: `${origin}/console/#token=${token}`, expiresAt, keyId: info.id, createdKey: created };
  } finally {
    access.close();
    await bus.close();
  }
}

export interface ConsoleCommandDeps {
  withStore<T>(fn: (store: Store, config: Readonly<Config>) => Promise<T>): Promise<T>;
  tenantNamed(store: Store, name: string): Promise<Tenant>;
  out(line?: string): void;
}

export function consoleCommand({ withStore, tenantNamed, out }: ConsoleCommandDeps): Command {
  return new Command('console')
    .description(
      "print a link that signs a browser into the web console as a tenant (a short-lived ADMIN token from the tenant's " +
        '`console` key; revoking that key ends every console session)',
    )
    .requiredOption('--tenant <name>', 'the tenant to sign in as')
    .addOption(
      new Option('--ttl <duration>', 'how long the link works: 90s, 15m, 2h, at most 24h')
        .argParser(parseTtl)
        .default(DEFAULT_TTL_SECONDS, '15m'),
    )
    .action((opts: { tenant: string; ttl: number }) =>
      withStore(async (store, config) => {
        const tenant = await tenantNamed(store, opts.tenant);
        const link = await mintConsoleLink(store, config, tenant, { ttlSeconds: opts.ttl });
        out(
          `console link for tenant ${tenant.name}, valid until ${link.expiresAt.toISOString()}; ` +
            `\`hookgraph keys revoke ${link.keyId}\` ends every console session${link.createdKey ? ' (key created now)' : ''}:`,
        );
        out(link.url);
      }),
    );
}
