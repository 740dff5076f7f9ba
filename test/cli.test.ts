import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/store/store.js';
import { CreateWebhookDocument, TriggerSandboxEventDocument } from './generated/graphql.js';
import { startTestApp } from './utils/app.js';
import { gqlData } from './utils/graphql.js';

const run = promisify(execFile);

describe('hookgraph keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-cli-'));
  const secret = randomBytes(32).toString('base64');
  const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.sqlite')}`, HOOKGRAPH_SECRET_KEY: secret, HOOKGRAPH_DATA_DIR: dir };
  const cli = (...args: string[]) => run(process.execPath, ['bin/hookgraph.js', ...args], { env });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key whose last output line authenticates, lists it, and revokes it', async () => {
    const created = await cli('keys', 'create', '--tenant', 'acme');
    const key = created.stdout.trim().split('\n').at(-1) as string;
    expect(key).toMatch(/^hg_[A-Za-z0-9]{12}_[A-Za-z0-9_-]+$/);

    const store = await createStore({ databaseUrl: env.DATABASE_URL, secretKey: Buffer.from(secret, 'base64') });
    try {
      expect((await store.apiKeys.authenticate(key))?.name).toBe('acme');
      const listed = await cli('keys', 'list', '--tenant', 'acme');
      const id = key.split('_')[1] as string;
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).not.toContain(key);
      await cli('keys', 'revoke', id);
      expect(await store.apiKeys.authenticate(key)).toBeNull();
      expect((await cli('keys', 'list')).stdout).toMatch(/revoked/);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('explains usage and exits 2 on a bad command', async () => {
    const err = (await cli('keys', 'create').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/--tenant/);
  }, 30_000);
});

/** A port free right now, for a gateway the test starts later on a fixed PORT. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('hookgraph sandbox connect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-cli-sandbox-'));
  const secret = randomBytes(32).toString('base64');
  const databaseUrl = `file:${join(dir, 'cli.sqlite')}`;
  const env = (port: number) => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOOKGRAPH_SECRET_KEY: secret,
    HOOKGRAPH_DATA_DIR: dir,
    HOOKGRAPH_SANDBOX: '1',
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  const cli = (port: number, ...args: string[]) => run(process.execPath, ['bin/hookgraph.js', ...args], { env: env(port) });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects a tenant without the server running, and the gateway started later serves that connection', async () => {
    const port = await freePort();
    const connected = await cli(port, 'sandbox', 'connect', '--tenant', 'acme', '--create', '--provider', 'paybook');
    expect(connected.stdout).toMatch(new RegExp(`^PAYBOOK\tconnected\thttp://127\\.0\\.0\\.1:${port}/sandbox/paybook$`, 'm'));
    const again = await cli(port, 'sandbox', 'connect', '--tenant', 'acme', '--provider', 'PAYBOOK');
    expect(again.stdout).toMatch(/^PAYBOOK\talready connected\t/m);
    const key = (await cli(port, 'keys', 'create', '--tenant', 'acme')).stdout.trim().split('\n').at(-1) as string;

    const t = await startTestApp({ databaseUrl, secretKey: secret, config: { port } });
    try {
      const tenant = await t.app.services.store.tenants.findByName('acme');
      const stored = await t.app.services.store.connections.get(tenant?.id ?? '', 'PAYBOOK');
      const { apiKey = '' } = (stored?.credentials ?? {}) as { apiKey?: string };
      expect(apiKey).toMatch(/^sbx-pb-[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      // The credentials went straight into the sealed store, and were never printed.
      expect(connected.stdout + again.stdout).not.toContain(apiKey);
      const { createWebhook } = await gqlData(t.url, key, CreateWebhookDocument, { input: { provider: 'PAYBOOK', events: ['refresh'] } });
      expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
      const { triggerSandboxEvent } = await gqlData(t.url, key, TriggerSandboxEventDocument, { provider: 'PAYBOOK', eventType: 'refresh' });
      expect(triggerSandboxEvent.__typename === 'TriggerSandboxEventSuccess' && triggerSandboxEvent.data.map((d) => d.status)).toEqual([
        200,
      ]);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it('refuses an unknown tenant unless --create, an unknown provider, and PORT=0, creating nothing', async () => {
    for (const [port, args, message] of [
      [4000, ['--tenant', 'ghost'], /no tenant named ghost.*--create/],
      [4000, ['--tenant', 'ghost', '--create', '--provider', 'stripe'], /unknown provider stripe/],
      [0, ['--tenant', 'ghost', '--create'], /PORT=0/],
    ] as const) {
      const err = (await cli(port, 'sandbox', 'connect', ...args).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(err.code).toBe(2);
      expect(err.stderr).toMatch(message);
    }
    const store = await createStore({ databaseUrl, secretKey: Buffer.from(secret, 'base64') });
    try {
      expect(await store.tenants.findByName('ghost')).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);
});
