import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { CreateWebhookDocument, TriggerSandboxEventDocument } from '../generated/graphql.js';
import { startTestApp } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { hasStack, hookgraph, scratch } from './run.js';

/** A port free right now, for a gateway the test starts later on a fixed PORT. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('hookgraph sandbox connect', () => {
  const s = scratch('hookgraph-cli-sandbox-');
  const cli = (port: number, ...args: string[]) =>
    hookgraph(args, { env: { ...s.env, HOOKGRAPH_SANDBOX: '1', HOST: '127.0.0.1', PORT: String(port) } });

  it('connects a tenant without the server running, and the gateway started later serves that connection', async () => {
    const port = await freePort();
    const connected = await cli(port, 'sandbox', 'connect', '--tenant', 'acme', '--create', '--provider', 'paybook');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toMatch(new RegExp(`^PAYBOOK\tconnected\thttp://127\\.0\\.0\\.1:${port}/sandbox/paybook$`, 'm'));
    const again = await cli(port, 'sandbox', 'connect', '--tenant', 'acme', '--provider', 'PAYBOOK');
    expect(again.stdout).toMatch(/^PAYBOOK\talready connected\t/m);
    const key = (await cli(port, 'keys', 'create', '--tenant', 'acme')).stdout.trim().split('\n').at(-1) as string;

    const t = await startTestApp({ databaseUrl: s.env.DATABASE_URL, secretKey: s.secretKey, config: { port } });
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

  it('refuses an unknown tenant unless --create (1), an unknown provider (2) and PORT=0 (1), creating nothing', async () => {
    for (const [port, args, code, message] of [
      [4000, ['--tenant', 'ghost'], 1, /^error: no tenant named ghost; add --create to create it$/m],
      [4000, ['--tenant', 'ghost', '--create', '--provider', 'stripe'], 2, /unknown provider stripe; one of deskera, booqable/],
      [0, ['--tenant', 'ghost', '--create'], 1, /^error: PORT=0 picks a port at start/m],
    ] as const) {
      const run = await cli(port, 'sandbox', 'connect', ...args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
      expect(hasStack(run.stderr)).toBe(false);
    }
    const store = await createStore({ databaseUrl: s.env.DATABASE_URL, secretKey: Buffer.from(s.secretKey, 'base64') });
    try {
      expect(await store.tenants.findByName('ghost')).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);
});
