import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Dispatcher } from 'undici';
import { type App, buildApp } from '../../src/app.js';
import { type ConfigOverrides, loadConfig } from '../../src/config.js';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { ConnectSandboxDocument } from '../generated/graphql.js';
import { gql } from './graphql.js';
import { leftover, onlyOnce } from './leftovers.js';

export interface TestTenant {
  id: string;
  name: string;
  key: string;
}

export interface TestApp {
  app: App;
  url: string;
  db: TestDatabase;
  /** Every log line the app wrote, for leak assertions. */
  logs: string[];
  tenant(name?: string): Promise<TestTenant>;
  /** Connects the tenant to a sandbox vendor through GraphQL (`connectSandbox`): a fresh account with random credentials. */
  connectSandbox(tenant: TestTenant, provider: ProviderKey): Promise<void>;
  /** The credentials the tenant's connection holds (as the gateway stored them, sealed), for leak assertions. */
  storedCredentials(tenant: TestTenant, provider: ProviderKey): Promise<Record<string, string>>;
  /** The sandbox account the tenant's connection credentials prove at the vendor. */
  sandboxAccount(tenant: TestTenant, provider: ProviderKey): Promise<string>;
  /** Stops the app and removes its database and data folder; once (the leftovers list calls it too). */
  stop(): Promise<void>;
}

export interface TestAppOptions {
  database?: 'sqlite' | 'postgres';
  /** Reuse an existing database (several replicas, or a restart) instead of a fresh one; the caller drops it. */
  databaseUrl?: string;
  /** The secret key sealing credentials; a restart on the same database needs the same one. @default a random key */
  secretKey?: string;
  redisUrl?: string | null;
  redisPrefix?: string;
  dispatcher?: Dispatcher;
  config?: ConfigOverrides;
}

/**
 * Starts a real gateway on a loopback port with the sandbox vendors, an isolated database and silent-but-captured
 * logs, on the leftovers list (test/utils/leftovers.ts).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db: TestDatabase = options.databaseUrl
    ? { name: options.databaseUrl.startsWith('postgres') ? 'postgres' : 'sqlite', url: options.databaseUrl, drop: async () => {} }
    : await createTestDatabase(options.database ?? 'sqlite');
  const dataDir = mkdtempSync(join(tmpdir(), 'hookgraph-data-'));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: db.url,
      dataDir,
      secretKey: options.secretKey ?? randomBytes(32).toString('base64'),
      redisUrl: options.redisUrl ?? null,
      redisPrefix: options.redisPrefix ?? `hgtest-${randomBytes(4).toString('hex')}`,
      sandbox: true,
      bootstrap: false,
      logLevel: 'trace',
      vendorTimeoutMs: 3_000,
      // No background reconciliation racing a test's own calls; reconciler tests turn it on.
      reconcileIntervalMs: null,
      ...options.config,
    },
  );
  const logs: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const app = await buildApp(config, { logger, ...(options.dispatcher && { dispatcher: options.dispatcher }) });
  await app.start();
  let tenants = 0;
  return leftover<TestApp>({
    app,
    url: app.url,
    db,
    logs,
    async tenant(name = `tenant-${++tenants}-${randomBytes(3).toString('hex')}`) {
      const { tenant } = await app.services.store.tenants.getOrCreate(name);
      const { key } = await app.services.store.apiKeys.create(tenant.id, 'test');
      return { id: tenant.id, name, key };
    },
    async connectSandbox(tenant, provider) {
      const res = await gql(app.url, tenant.key, ConnectSandboxDocument, { provider });
      if (res.body.data?.connectSandbox.__typename !== 'ConnectSandboxSuccess')
        throw new Error(`connect ${provider} failed: ${JSON.stringify(res.body)}`);
    },
    async storedCredentials(tenant, provider) {
      const conn = await app.services.store.connections.get(tenant.id, provider);
      if (!conn) throw new Error(`${tenant.name} is not connected to ${provider}`);
      // Every vendor's parsed credentials are one flat object of strings.
      return conn.credentials as Record<string, string>;
    },
    async sandboxAccount(tenant, provider) {
      const account = await app.services.sandbox?.accountOf(tenant.id, provider);
      if (!account) throw new Error(`${tenant.name} has no sandbox account at ${provider}`);
      return account;
    },
    stop: onlyOnce(async () => {
      await app.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }),
  });
}
