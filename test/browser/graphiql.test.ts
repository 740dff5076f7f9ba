import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './chromium.js';

describe.runIf(chromiumAvailable())('GraphiQL in a real browser', () => {
  let t: TestApp;
  let acme: TestTenant;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
    browser = await launchChromium();
  });

  it('opens from the bundled assets (no CDN), and runs the first tab with a pasted key', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    const failures: string[] = [];
    page.on('request', (r) => {
      // Editor workers start from blob: URLs of this origin; anything fetched from elsewhere would be a CDN.
      if (/^https?:/.test(r.url()) && new URL(r.url()).origin !== t.url) outside.push(r.url());
    });
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${t.url}/graphql`);
    await page.locator('.graphiql-container').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'graphiql-open.png') });
    // The key goes in the headers editor, as a newcomer pastes it.
    await page.getByText('Headers', { exact: true }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    // Typed, not inserted: the editor closes brackets and quotes as a person types them, and types over them.
    await page.keyboard.type(JSON.stringify({ Authorization: `Bearer ${acme.key}` }));
    // The first tab holds several operations: the run button asks which one.
    await page.locator('.graphiql-execute-button').click();
    await page.getByRole('menuitem', { name: 'Providers' }).click();
    await expect.poll(async () => page.locator('.graphiql-response').innerText(), { timeout: 10_000 }).toContain('"data"');
    const response = await page.locator('.graphiql-response').innerText();
    expect(response).not.toContain('UNAUTHENTICATED');
    await page.screenshot({ path: join(SCREENSHOTS, 'graphiql.png'), fullPage: true });
    expect(outside).toEqual([]);
    expect(failures).toEqual([]);
  });
});
