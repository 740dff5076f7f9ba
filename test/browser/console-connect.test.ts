import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { leftover } from '../utils/leftovers.js';
import { expectAccessible } from './axe.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './chromium.js';
import { ensureConsoleBuilt } from './console-setup.js';

/*
 * The Providers page's connect form, built from the schema's @oneOf ProviderCredentialsInput (console/codegen.ts):
 * SuperOffice connected through its `oauth` branch in a real Chromium, against a real gateway and the sandbox
 * SuperOffice; afterwards no secret is anywhere in the page.
 */

describe.runIf(chromiumAvailable())('the console connect form from the @oneOf credentials input', { timeout: 90_000 }, () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;

  beforeAll(async () => {
    const build = await ensureConsoleBuilt();
    console.log(`[console-connect.test] dist/console ${build.built ? 'built' : 'already fresh'} in ${build.ms} ms`);
    t = await startTestApp();
    tenant = await t.tenant('connect-form');
    browser = await launchChromium();
  }, 240_000);

  const visible = (locator: Locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });

  /** The text of the elements `locator`'s aria-describedby names: what a screen reader reads after the label. */
  const describedBy = (locator: Locator) =>
    locator.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`)
        .join(' '),
    );

  it("connects SuperOffice through the `oauth` branch; no secret stays in the page's DOM", async () => {
    const sandbox = t.app.services.sandbox;
    if (!sandbox) throw new Error('the sandbox is off');
    // A fresh sandbox SuperOffice account with its OAuth form: access and refresh token, client id and secret.
    const opened = await sandbox.vendors.SUPEROFFICE.openAccount({ form: 'oauth' });
    const oauth = opened.credentials as { accessToken: string; refreshToken: string; clientId: string; clientSecret: string };
    expect(Object.keys(oauth).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'refreshToken']);
    const baseUrl = sandbox.mountUrl('SUPEROFFICE') + opened.basePath;
    const secrets = [oauth.accessToken, oauth.refreshToken, oauth.clientSecret];

    const context = leftover(await browser.newContext({ viewport: { width: 1200, height: 900 } }));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });

    // Signed in with the tenant's API key on the sign-in form.
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('API key').fill(tenant.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('0 of 5 connected.'));
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: 'SuperOffice', exact: true }) });
    await visible(card.getByText('Not connected'));
    await card.getByRole('button', { name: 'Connect', exact: true }).click();
    const form = page.getByRole('form', { name: 'Connect superoffice' });
    await visible(form);

    // The branches of SuperOfficeCredentialsInput, as a labelled radio group; the first is chosen.
    const choice = form.getByRole('group', { name: 'Sign in with' });
    const radios = choice.getByRole('radio');
    expect(await radios.evaluateAll((els) => els.map((el) => (el.parentElement?.textContent ?? '').trim()))).toEqual([
      'Access token',
      'OAuth',
      'Ticket',
    ]);
    expect(await choice.getByRole('radio', { name: 'Access token' }).isChecked()).toBe(true);
    expect(await describedBy(choice)).toMatch(/^An OAuth access token \(alone, or with what renews it\)/);
    await expectAccessible(page, 'Providers (SuperOffice form, access token branch)');
    const fieldNames = () =>
      form.locator('input:not([type=radio]), textarea').evaluateAll((els) => els.map((el) => el.getAttribute('name')));
    expect(await fieldNames()).toEqual(['credentials.accessToken', 'baseUrl']);

    // Keyboard: the arrow keys move the choice along the group.
    await choice.getByRole('radio', { name: 'Access token' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await choice.getByRole('radio', { name: 'Ticket' }).isChecked()).toBe(true);
    // The ticket branch: the private key is a textarea, described by its schema description, optional.
    const privateKey = form.getByLabel('Private key (optional)');
    expect(await privateKey.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    expect(await privateKey.getAttribute('required')).toBeNull();
    expect(await describedBy(privateKey)).toBe("The application's PEM RSA private key, which signs the system user token");
    expect(await form.getByLabel('App token').getAttribute('required')).toBe('');
    expect(await form.getByLabel('App token').getAttribute('type')).toBe('password');
    expect(await describedBy(choice)).toMatch(/^A system-user ticket with the application token/);
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-connect-0-ticket-branch.png'), fullPage: true });
    await page.keyboard.press('ArrowLeft');
    expect(await choice.getByRole('radio', { name: 'OAuth' }).isChecked()).toBe(true);
    expect(await fieldNames()).toEqual([
      'credentials.accessToken',
      'credentials.clientId',
      'credentials.clientSecret',
      'credentials.redirectUri',
      'credentials.refreshToken',
      'baseUrl',
    ]);

    // Secrets are masked and never autofilled; the client id and redirect URI are shown as typed.
    const attributes = (label: string) =>
      form
        .getByRole('textbox', { name: label, exact: true })
        .evaluate((el) => [el.getAttribute('type'), el.getAttribute('autocomplete'), el.hasAttribute('required')] as const);
    expect(await attributes('Access token')).toEqual(['password', 'new-password', true]);
    expect(await attributes('Refresh token (optional)')).toEqual(['password', 'new-password', false]);
    expect(await attributes('Client secret (optional)')).toEqual(['password', 'new-password', false]);
    expect(await attributes('Client ID (optional)')).toEqual(['text', 'off', false]);
    expect(await attributes('Redirect URI (optional)')).toEqual(['text', 'off', false]);

    await form.getByRole('textbox', { name: 'Access token', exact: true }).fill(oauth.accessToken);
    await form.getByLabel('Refresh token (optional)').fill(oauth.refreshToken);
    await form.getByLabel('Client ID (optional)').fill(oauth.clientId);
    await form.getByLabel('Client secret (optional)').fill(oauth.clientSecret);
    // Redirect URI left empty: omitted from the input, not sent as "".

    // First a base URL the gateway refuses: its ValidationError shows inline, nothing is stored, the form stays.
    await form.getByLabel('Base URL').fill('https://169.254.169.254');
    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await visible(form.getByRole('alert').filter({ hasText: '(baseUrl)' }), 15_000);
    expect(await t.app.services.store.connections.get(tenant.id, 'SUPEROFFICE')).toBeNull();
    await form.getByLabel('Base URL').fill(baseUrl);
    await expectAccessible(page, 'Providers (SuperOffice OAuth form)');
    await form.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-connect-1-oauth-form.png'), fullPage: true });

    await form.getByRole('button', { name: 'Connect', exact: true }).click();
    await visible(card.getByText('Connected', { exact: true }), 15_000);
    await visible(page.getByText('1 of 5 connected.'));
    await expect.poll(() => form.count()).toBe(0);
    await visible(card.locator('code').filter({ hasText: baseUrl }));

    // What the gateway stored: the oauth branch as typed, without the empty redirect URI.
    expect(await t.storedCredentials(tenant, 'SUPEROFFICE')).toEqual(oauth);
    expect(await t.sandboxAccount(tenant, 'SUPEROFFICE')).toBe(opened.account);

    // No secret in the DOM (markup, every field's value) nor in the tab's storage.
    const html = await page.content();
    const fieldValues = await page.locator('input, textarea').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    const storage = await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
    for (const secret of secrets) {
      expect(html.includes(secret)).toBe(false);
      expect(fieldValues.some((v) => v.includes(secret))).toBe(false);
      expect(storage.includes(secret)).toBe(false);
    }
    // Opening the form again (Replace credentials) shows empty fields.
    await card.getByRole('button', { name: 'Replace credentials' }).click();
    await visible(form);
    expect(
      await form.locator('input:not([type=radio]), textarea').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)),
    ).toEqual(['', '']);
    await card.getByRole('button', { name: 'Cancel' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-connect-2-connected.png'), fullPage: true });
    await expectAccessible(page, 'Providers (SuperOffice connected)');
    expect(problems).toEqual([]);
    await context.close();
  });
});
