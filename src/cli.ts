import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { resolveSecretKey } from './secret-key.js';
import { createStore } from './store/store.js';

const USAGE = `usage: hookgraph <command>
  start                              run the gateway (same as npm start)
  migrate                            apply database migrations and exit
  keys create --tenant <name> [--name <label>]
                                     create an API key (created tenant if new); the key is the last line
  keys list [--tenant <name>]        list keys (never their secrets)
  keys revoke <key-id | key>         revoke a key`;

/** The `hookgraph` command. Database and secrets come from the same environment as the server. */
async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (command === 'start') {
    await import('./server.js');
    return -1;
  }
  if (command !== 'migrate' && command !== 'keys') {
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
    throw error;
  } finally {
    await store.close();
  }
}

class UsageError extends Error {}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
