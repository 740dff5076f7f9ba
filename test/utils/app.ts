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
import { gql } from './graphql.js';

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
  /** Connects the tenant to a sandbox vendor through GraphQL, with that vendor's sandbox credentials. */
  connectSandbox(tenant: TestTenant, provider: ProviderKey): Promise<void>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  database?: 'sqlite' | 'postgres';
  /** Reuse an existing database (several replicas) instead of a fresh one. */
  databaseUrl?: string;
  redisUrl?: string | null;
  redisPrefix?: string;
  dispatcher?: Dispatcher;
  config?: ConfigOverrides;
}

/** Starts a real gateway on a loopback port with the sandbox vendors, an isolated database and silent-but-captured logs. */
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
      secretKey: randomBytes(32).toString('base64'),
      redisUrl: options.redisUrl ?? null,
      redisPrefix: options.redisPrefix ?? `hgtest-${randomBytes(4).toString('hex')}`,
      sandbox: true,
      bootstrap: false,
      logLevel: 'trace',
      vendorTimeoutMs: 3_000,
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
  return {
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
      const sandbox = app.services.sandbox;
      if (!sandbox) throw new Error('sandbox is off');
      const vendor = sandbox.vendors[provider];
      const credentials = vendor.credentialsFor(tenant.id);
      const slug = provider.toLowerCase();
      const input =
        provider === 'SUPEROFFICE' && !('accessToken' in credentials) ? { superoffice: { ticket: credentials } } : { [slug]: credentials };
      const res = await gql(app.url, tenant.key, CONNECT, {
        input: { provider, baseUrl: sandbox.mountUrl(provider) + vendor.basePath(tenant.id), credentials: input },
      });
      const result = (res.body.data as { connectProvider?: { __typename: string; message?: string } } | undefined)?.connectProvider;
      if (result?.__typename !== 'ConnectProviderSuccess') throw new Error(`connect ${provider} failed: ${JSON.stringify(res.body)}`);
    },
    async stop() {
      await app.stop();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const CONNECT = `mutation Connect($input: ConnectProviderInput!) {
  connectProvider(input: $input) { __typename ... on Error { message } }
}`;
