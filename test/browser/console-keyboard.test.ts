import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './chromium.js';
import { ensureConsoleBuilt } from './console-setup.js';

/*
 * "Every action reachable by keyboard": on each page of the console, with data on it (a connected vendor, a webhook,
 * an event, an API key), pressing Tab from the top focuses every visible control — button, link, field, disclosure —
 * at some point. A control only a mouse can reach (a click handler on a div, tabindex=-1 on a button) fails it.
 */

const CREATE = `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename ... on Error { message } } }`;
const TRIGGER = `mutation { triggerSandboxEvent(provider: SUPEROFFICE, eventType: "contact.created") { __typename } }`;

/** A short description of each visible control Tab never reached, after enough presses to go round the page twice. */
async function unreachedByTab(page: Page): Promise<{ controls: number; unreached: string[] }> {
  const controls = await page.evaluate(() => {
    const selector = 'button, a[href], input, select, textarea, summary, [tabindex]';
    const shown = [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => {
      // checkVisibility also knows what a closed <details> hides (its content keeps a layout box).
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || !el.checkVisibility({ checkVisibilityCSS: true, checkOpacity: false })) return false;
      if ((el as HTMLButtonElement).disabled) return false;
      // A radio group is one Tab stop (arrows move inside it): its checked radio, or its first.
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        const group = [...document.querySelectorAll<HTMLInputElement>(`input[type=radio][name="${CSS.escape(el.name)}"]`)];
        return el === (group.find((r) => r.checked) ?? group[0]);
      }
      // Focus targets of the page's own (a heading focused after navigation) are not controls.
      return el.getAttribute('tabindex') !== '-1' || el.matches('button, a[href], input, select, textarea, summary');
    });
    for (const [i, el] of shown.entries()) el.setAttribute('data-kb', String(i));
    (document.activeElement as HTMLElement | null)?.blur();
    return shown.length;
  });
  const reached = new Set<string>();
  for (let i = 0; i < controls * 2 + 10 && reached.size < controls; i++) {
    await page.keyboard.press('Tab');
    const key = await page.evaluate(() => document.activeElement?.getAttribute('data-kb') ?? null);
    if (key !== null) reached.add(key);
  }
  const unreached = await page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-kb]')]
        .filter((el) => !seen.includes(el.getAttribute('data-kb') ?? ''))
        .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`),
    [...reached],
  );
  return { controls, unreached };
}

describe.runIf(chromiumAvailable())('the console by keyboard alone', { timeout: 90_000 }, () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestApp();
    tenant = await t.tenant('keyboard');
    await t.connectSandbox(tenant, 'SUPEROFFICE');
    const { createWebhook } = await gqlData<{ createWebhook: { __typename: string } }>(t.url, tenant.key, CREATE, {
      input: { provider: 'SUPEROFFICE', events: ['contact.created'], name: 'keyboard' },
    });
    expect(createWebhook.__typename).toBe('CreateWebhookSuccess');
    await gqlData(t.url, tenant.key, TRIGGER);
    browser = await launchChromium();
  }, 240_000);

  it('reaches every visible control of every page with Tab', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${t.url}/console/`);
      await page.getByLabel('API key').waitFor();
      expect((await unreachedByTab(page)).unreached).toEqual([]);
      // The check itself: a button a mouse can click but Tab skips is reported.
      await page.evaluate(() => {
        const trap = document.createElement('button');
        trap.textContent = 'mouse only';
        trap.tabIndex = -1;
        trap.id = 'kb-trap';
        document.body.append(trap);
      });
      expect((await unreachedByTab(page)).unreached).toEqual(['button "mouse only"']);
      await page.evaluate(() => document.getElementById('kb-trap')?.remove());
      await page.getByLabel('API key').fill(tenant.key);
      await page.keyboard.press('Enter');
      await page.getByText('1 of 5 connected.').waitFor({ timeout: 20_000 });
      const pages: Array<[string, string]> = [
        ['Providers', '1 of 5 connected.'],
        ['Webhooks', 'keyboard'],
        ['Live events', 'Listening'],
        ['History', 'contact.created'],
        ['Access', 'API keys'],
      ];
      const report: Record<string, { controls: number; unreached: string[] }> = {};
      for (const [name, marker] of pages) {
        await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
        await page.getByText(marker).first().waitFor({ timeout: 20_000 });
        report[name] = await unreachedByTab(page);
        await page.screenshot({
          path: join(SCREENSHOTS, `console-keyboard-${name.replace(/\s+/g, '-').toLowerCase()}.png`),
          fullPage: true,
        });
      }
      console.log(
        `[console-keyboard.test] controls per page: ${Object.entries(report)
          .map(([p, r]) => `${p} ${r.controls}`)
          .join(', ')}`,
      );
      for (const [name, r] of Object.entries(report)) {
        expect(r.controls, name).toBeGreaterThan(3);
        expect(r.unreached, name).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});
