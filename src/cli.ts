import { parseArgs } from 'node:util';
import { type Config, loadConfig } from './config.js';
import { HookgraphError } from './domain/errors.js';
import { type ProviderKey, providerKeys, providerSlug } from './domain/provider-key.js';
import { createSandboxEvents } from './manage/sandbox-events.js';
import { createSandbox, loopbackOrigin, SANDBOX_PREFIX } from './sandbox/index.js';
import { resolveSecretKey } from './secret-key.js';
import { createStore, type Store } from './store/store.js';

const USAGE = `usage: hookgraph <command>
  start                              run the gateway (same as npm start)
  migrate                            apply database migrations and exit
  keys create --tenant <name> [--name <label>]
                                     create an API key (created tenant if new); the key is the last line
  keys list [--tenant <name>]        list keys (never their secrets)
  keys revoke <key-id | key>         revoke a key
  sandbox connect --tenant <name> [--provider <key>] [--create]
                                     connect a tenant to the sandbox vendors (all five, or one): each opens
                                     an account with random credentials, stored sealed; the server need
                                     not run. --create makes the tenant if it does not exist`;

/** The `hookgraph` command. Database and secrets come from the same environment as the server. */
async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'start') {
    await import('./server.js');
    return -1;
  }
  if (command !== 'migrate' && command !== 'keys' && command !== 'sandbox') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig();
  const store = await createStore({ databaseUrl: config.databaseUrl, secretKey: resolveSecretKey(config.secretKey, config.dataDir).key });
  try {
    if (command === 'migrate') {
      process.stdout.write(`migrated ${store.describe}\n`);
      return 0;
    }
    if (command === 'sandbox') return await sandboxCommand(config, store, sub, rest);
    const { values, positionals } = parseArgs({
      args: rest,
      options: { tenant: { type: 'string' }, name: { type: 'string' } },
      allowPositionals: true,
    });
    if (sub === 'create') {
      if (!values.tenant) throw new UsageError('keys create needs --tenant <name>');
      const { tenant, created } = await store.tenants.getOrCreate(values.tenant);
      const { key, info } = await store.apiKeys.create(tenant.id, values.name ?? 'cli');
      if (created) process.stdout.write(`created tenant ${tenant.name}\n`);
      process.stdout.write(`created key ${info.id} for tenant ${tenant.name}; it is shown once:\n${key}\n`);
      return 0;
    }
    if (sub === 'list') {
      const tenant = values.tenant ? await store.tenants.findByName(values.tenant) : null;
      if (values.tenant && !tenant) throw new UsageError(`no tenant named ${values.tenant}`);
      const keys = await store.apiKeys.list(tenant?.id);
      for (const k of keys) {
        process.stdout.write(
          `${k.id}\t${k.tenantName}\t${k.name}\t${k.createdAt.toISOString()}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}\n`,
        );
      }
      if (keys.length === 0) process.stdout.write('no keys\n');
      return 0;
    }
    if (sub === 'revoke') {
      const id = positionals[0];
      if (!id) throw new UsageError('keys revoke needs a key id');
      const revoked = await store.apiKeys.revoke(id);
      process.stdout.write(revoked ? `revoked ${id.slice(0, 15)}\n` : `no active key ${id.slice(0, 15)}\n`);
      return revoked ? 0 : 1;
    }
    throw new UsageError(`unknown keys command ${sub ?? ''}`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof HookgraphError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * `sandbox connect`: the same path as the `connectSandbox` mutation and the bootstrap, straight on the
 * database. The connection's baseUrl is the gateway's loopback origin as the server will bind it
 * (HOST, PORT), so PORT must be fixed.
 */
async function sandboxCommand(config: Readonly<Config>, store: Store, sub: string | undefined, args: string[]): Promise<number> {
  let values: { tenant?: string | undefined; provider?: string | undefined; create?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { tenant: { type: 'string' }, provider: { type: 'string' }, create: { type: 'boolean', default: false } },
    }));
  } catch (error) {
    // parseArgs names the unknown or malformed option; that is a usage mistake, not a crash.
    throw new UsageError((error as Error).message);
  }
  if (sub !== 'connect') throw new UsageError(`unknown sandbox command ${sub ?? ''}`);
  if (!values.tenant) throw new UsageError('sandbox connect needs --tenant <name>');
  let provider: ProviderKey | null = null;
  if (values.provider !== undefined) {
    provider = providerKeys.find((k) => k === values.provider?.toUpperCase()) ?? null;
    if (!provider) throw new UsageError(`unknown provider ${values.provider}; one of ${providerKeys.map(providerSlug).join(', ')}`);
  }
  if (!config.sandbox) {
    process.stderr.write('the sandbox is off (HOOKGRAPH_SANDBOX=0): the gateway would not serve the sandbox vendors\n');
    return 1;
  }
  if (config.port === 0) throw new UsageError('PORT=0 picks a port at start: sandbox connect needs the fixed PORT the gateway listens on');
  const found = await store.tenants.findByName(values.tenant);
  if (!found && !values.create) throw new UsageError(`no tenant named ${values.tenant} (add --create to create it)`);
  const tenant = found ?? (await store.tenants.getOrCreate(values.tenant)).tenant;
  if (!found) process.stdout.write(`created tenant ${tenant.name}\n`);
  const origin = loopbackOrigin(config.host, config.port);
  const sandbox = createSandbox({ store: store.sandbox, gatewayOrigins: () => [config.publicUrl, origin] });
  const events = createSandboxEvents({ store, vendors: sandbox.vendors, mountUrl: (p) => `${origin}${SANDBOX_PREFIX}${providerSlug(p)}` });
  const { connections, created } = await events.connect(tenant.id, provider);
  for (const c of connections) {
    process.stdout.write(`${c.provider}\t${created.includes(c.provider) ? 'connected' : 'already connected'}\t${c.baseUrl}\n`);
  }
  if (connections.length === 0) process.stdout.write(`tenant ${tenant.name} is connected to real vendors only; nothing to do\n`);
  return 0;
}

class UsageError extends Error {}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
