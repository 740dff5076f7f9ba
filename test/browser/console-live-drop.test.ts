import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { expectAccessible } from './axe.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './chromium.js';
import { ensureConsoleBuilt } from './console-setup.js';
import { liveList, newestEventIds } from './live-page.js';

/*
 * The Live events page across a dropped connection: the browser reaches the gateway through a loopback TCP proxy that
 * the test cuts (every open connection destroyed, new ones refused) and then restores, the way a network loss looks
 * to a browser. Events delivered meanwhile (the sandbox vendor delivers to the gateway directly) must appear once the
 * socket is back, with no gap and no duplicate; the banner shows while it is down and clears when it resumes.
 */

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename ... on Error { message } } }`;
const TRIGGER = `mutation { triggerSandboxEvent(provider: SUPEROFFICE, eventType: "contact.created") {
  __typename ... on TriggerSandboxEventSuccess { data { status } } ... on Error { message } } }`;

interface Proxy {
  /** `http://127.0.0.1:<port>`: the gateway, through the proxy. */
  url: string;
  /** Destroys every proxied connection and refuses new ones. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy on loopback to `port` (the gateway), which the test can cut and restore. */
async function startProxy(port: number): Promise<Proxy> {
  const open = new Set<Socket>();
  let down = false;
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return leftover<Proxy>({
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  });
}

describe.runIf(chromiumAvailable())('the console Live page across a dropped connection', { timeout: 90_000 }, () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;
  let proxy: Proxy;

  beforeAll(async () => {
    const build = await ensureConsoleBuilt();
    console.log(`[console-live-drop.test] dist/console ${build.built ? 'built' : 'already fresh'} in ${build.ms} ms`);
    t = await startTestApp();
    tenant = await t.tenant('live-drop');
    await t.connectSandbox(tenant, 'SUPEROFFICE');
    const { createWebhook } = await gqlData<{ createWebhook: { __typename: string } }>(t.url, tenant.key, CREATE, {
      input: { provider: 'SUPEROFFICE', events: ['contact.created'], name: 'live-drop' },
    });
    expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
    proxy = await startProxy(Number(new URL(t.url).port));
    browser = await launchChromium();
  }, 240_000);

  const visible = (locator: Locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

  async function trigger(): Promise<void> {
    const { triggerSandboxEvent } = await gqlData<{ triggerSandboxEvent: unknown }>(t.url, tenant.key, TRIGGER);
    expect(triggerSandboxEvent).toEqual({ __typename: 'TriggerSandboxEventSuccess', data: [{ status: 200 }] });
  }

  const newestIds = (n: number) => newestEventIds(t.url, tenant.key, n);

  const shownCount = (page: Page, n: number, timeout = 20_000) =>
    expect.poll(() => page.locator('ol.events > li').count(), { timeout, interval: 100 }).toBe(n);

  it('shows the banner while the connection is down, then resumes with the events sent meanwhile, none twice', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    try {
      await page.goto(`${proxy.url}/console/`);
      await page.getByLabel('API key').fill(tenant.key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('link', { name: 'Live events' }).click();
      await visible(page.getByRole('status').filter({ hasText: 'Listening' }));
      await expect.poll(() => t.app.services.bus.listeners(tenant.id), { timeout: 10_000 }).toBeGreaterThan(0);
      await trigger();
      await shownCount(page, 1);

      // The network goes: the page says so.
      proxy.cut();
      const banner = page.getByRole('alert');
      await visible(banner.filter({ hasText: 'Connection to the gateway lost' }));
      expect(await banner.textContent()).toBe('Connection to the gateway lost. Reconnecting; live events resume where they stopped.');
      // The gateway has let go of the page's subscription: what comes now is not pushed to it.
      await expect.poll(() => t.app.services.bus.listeners(tenant.id), { timeout: 10_000 }).toBe(0);
      await trigger();
      await trigger();
      await page.screenshot({ path: join(SCREENSHOTS, 'console-live-drop-0-lost.png'), fullPage: true });
      await expectAccessible(page, 'Live events (connection lost)');
      expect(await page.locator('ol.events > li').count()).toBe(1);

      // It comes back: the banner clears and the two events sent meanwhile arrive, then a live one.
      proxy.restore();
      await shownCount(page, 3, 30_000);
      await expect.poll(() => page.getByRole('alert').count(), { timeout: 10_000 }).toBe(0);
      await trigger();
      await shownCount(page, 4);
      const list = await liveList(page);
      expect(list.shown).toBe(4);
      expect(new Set(list.ids).size).toBe(4);
      expect(list.ids).toEqual(await newestIds(4));
      await page.screenshot({ path: join(SCREENSHOTS, 'console-live-drop-1-resumed.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
