import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';
import { leftover } from '../utils/leftovers.js';
import { expectAccessible } from './axe.js';
import { chromiumAvailable, launchChromium, SCREENSHOTS } from './chromium.js';
import { ensureConsoleBuilt } from './console-setup.js';

/*
 * The webhook form's "Vendor settings" (WebhookOptionsInput) in a real Chromium, against a real gateway and the sandbox
 * SuperOffice and Paybook: what the form sends reaches the gateway (Webhook.options) and the vendor's stored
 * registration; an edit sends only what changed; bad values are refused in the page, the gateway's refusals inline.
 */

const WEBHOOKS = '{ webhooks(first: 50) { edges { node { id name externalIds } } } }';
const OPTIONS = `query ($id: ID!) { webhook(id: $id) { options {
  errorsEmail headers { name value } properties { name value } idUser delaySeconds environment } } }`;

interface Options {
  errorsEmail: string | null;
  headers: Array<{ name: string; value: string }> | null;
  properties: Array<{ name: string; value: string }> | null;
  idUser: string | null;
  delaySeconds: number | null;
  environment: string | null;
}

/** A header value that stands for a secret of the user's own: it must reach the vendor, and never a log line. */
const TOKEN_VALUE = `tok-${'7f3a'.repeat(6)}`;

describe.runIf(chromiumAvailable())("the webhook form's vendor settings (WebhookOptionsInput)", { timeout: 120_000 }, () => {
  let t: TestApp;
  let tenant: TestTenant;
  let browser: Browser;

  beforeAll(async () => {
    const build = await ensureConsoleBuilt();
    console.log(`[console-webhook-options.test] dist/console ${build.built ? 'built' : 'already fresh'} in ${build.ms} ms`);
    t = await startTestApp();
    tenant = await t.tenant('webhook-options');
    await t.connectSandbox(tenant, 'SUPEROFFICE');
    await t.connectSandbox(tenant, 'PAYBOOK');
    browser = await launchChromium();
  }, 240_000);

  const visible = (locator: Locator, timeout = 20_000) => locator.first().waitFor({ state: 'visible', timeout });
  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `console-options-${name}.png`), fullPage: true });
  /** What the focused element is called: its label (the part a screen reader reads, for a row's cells) or its text. */
  const focusedName = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      const label = el?.labels?.[0];
      return ((label ? (label.querySelector('.visually-hidden') ?? label) : el)?.textContent ?? '').trim();
    });

  /** The tenant's webhook named `name`, as the gateway lists it. */
  async function webhookNamed(name: string): Promise<{ id: string; externalIds: string[] }> {
    const { webhooks } = await gqlData<{ webhooks: { edges: Array<{ node: { id: string; name: string; externalIds: string[] } }> } }>(
      t.url,
      tenant.key,
      WEBHOOKS,
    );
    const found = webhooks.edges.map((e) => e.node).find((w) => w.name === name);
    if (!found) throw new Error(`no webhook named ${name}`);
    return found;
  }

  const optionsOf = async (id: string) =>
    (await gqlData<{ webhook: { options: Options | null } | null }>(t.url, tenant.key, OPTIONS, { id })).webhook?.options;

  /** The registration as the sandbox vendor stores it (its account state, read from the gateway's database). */
  async function atVendor<H>(provider: ProviderKey, matches: (hook: H) => boolean): Promise<H | undefined> {
    const row = await t.app.services.store.sandbox.get(provider, await t.sandboxAccount(tenant, provider));
    if (!row) throw new Error(`no ${provider} sandbox account`);
    return (JSON.parse(row.state) as { hooks: H[] }).hooks.find(matches);
  }

  /**
   * A signed-in page on Webhooks (the tenant's ADMIN key on the sign-in form), recording the browser's console and
   * the `input` of every webhook mutation the page sends.
   */
  async function openWebhooks(): Promise<{ page: Page; problems: string[]; consoleText: string[]; sent: Array<Record<string, unknown>> }> {
    const context = leftover(await browser.newContext({ viewport: { width: 1200, height: 900 } }));
    const page = await context.newPage();
    const problems: string[] = [];
    const consoleText: string[] = [];
    const sent: Array<Record<string, unknown>> = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      consoleText.push(m.text());
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      if (!r.url().endsWith('/graphql') || r.method() !== 'POST') return;
      const body = r.postDataJSON() as { query?: string; variables?: { input?: Record<string, unknown> } } | null;
      if (/mutation ConsoleCreateWebhook|mutation ConsoleUpdateWebhook/.test(body?.query ?? '') && body?.variables?.input)
        sent.push(body.variables.input);
    });
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('API key').fill(tenant.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('2 of 5 connected.'));
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Webhooks', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Webhooks' }));
    return { page, problems, consoleText, sent };
  }

  it('creates a SuperOffice webhook with an errors email and two headers, then removes one and clears the email', async () => {
    const { page, problems, consoleText, sent } = await openWebhooks();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('Provider').selectOption('SUPEROFFICE');
    const settings = form.getByRole('group', { name: 'Vendor settings' });
    await visible(settings);
    // SuperOffice's settings, not Paybook's.
    expect(await settings.getByLabel('Paybook user (optional)').count()).toBe(0);
    await form.getByLabel('Name (optional)').fill('so-options');
    await form.getByLabel('Search SuperOffice events').fill('contact.created');
    await form.getByRole('checkbox', { name: /^contact\.created/ }).check();

    // An address that is not one is marked, and described by its message.
    const email = settings.getByLabel('Errors email (optional)');
    expect(await email.getAttribute('type')).toBe('email');
    await email.fill('ops-at-example');
    await visible(settings.getByText('An email address, like ops@example.com.'));
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('ops@example.com');
    expect(await email.getAttribute('aria-invalid')).toBe('false');

    // Keyboard only: Tab reaches Add header, Enter adds a row and puts the focus in its name, Tab reaches its Remove.
    await email.focus();
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Add header');
    await page.keyboard.press('Enter');
    expect(await focusedName(page)).toBe('Header 1 name');
    await page.keyboard.type('X-Tenant');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Header 1 value');
    await page.keyboard.type('acme');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Remove header 1');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Add header');
    await page.keyboard.press('Enter');
    expect(await focusedName(page)).toBe('Header 2 name');
    await page.keyboard.type('X-Api-Token');
    await settings.getByLabel('Header 2 value').fill(TOKEN_VALUE);
    // Plain text, never autofilled.
    expect(await settings.getByLabel('Header 2 value').getAttribute('autocomplete')).toBe('off');

    await expectAccessible(page, 'Webhooks (SuperOffice vendor settings)');
    await form.scrollIntoViewIfNeeded();
    await shoot(page, '1-superoffice-create');
    await form.getByRole('button', { name: 'Create with 1 event' }).click();
    await visible(page.getByRole('rowheader', { name: 'so-options' }), 15_000);
    expect(sent.at(-1)?.['options']).toEqual({
      errorsEmail: 'ops@example.com',
      headers: [
        { name: 'X-Tenant', value: 'acme' },
        { name: 'X-Api-Token', value: TOKEN_VALUE },
      ],
    });

    // Through GraphQL, and at the vendor.
    const { id, externalIds } = await webhookNamed('so-options');
    expect(await optionsOf(id)).toMatchObject({
      errorsEmail: 'ops@example.com',
      headers: [
        { name: 'X-Tenant', value: 'acme' },
        { name: 'X-Api-Token', value: TOKEN_VALUE },
      ],
    });
    type SoHook = { WebhookId: number; ErrorsEmail: string | null; Headers: Record<string, string> };
    const soHook = () => atVendor<SoHook>('SUPEROFFICE', (h) => externalIds.includes(String(h.WebhookId)));
    expect(await soHook()).toMatchObject({ ErrorsEmail: 'ops@example.com', Headers: { 'X-Tenant': 'acme', 'X-Api-Token': TOKEN_VALUE } });

    // Edit: pre-filled from Webhook.options.
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'so-options' }) });
    await row.getByRole('button', { name: 'Edit so-options' }).click();
    const edit = page.getByRole('form', { name: 'Edit so-options' });
    await visible(edit);
    const editSettings = edit.getByRole('group', { name: 'Vendor settings' });
    expect(await editSettings.getByLabel('Errors email (optional)').inputValue()).toBe('ops@example.com');
    expect(await editSettings.getByLabel('Header 1 name').inputValue()).toBe('X-Tenant');
    expect(await editSettings.getByLabel('Header 2 name').inputValue()).toBe('X-Api-Token');
    expect(await editSettings.getByLabel('Header 2 value').inputValue()).toBe(TOKEN_VALUE);

    // A header the vendor writes itself passes the page but not the gateway: its ValidationError shows inline.
    await editSettings.getByRole('button', { name: 'Add header' }).click();
    await editSettings.getByLabel('Header 3 name').fill('Content-Type');
    await editSettings.getByLabel('Header 3 value').fill('text/plain');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await visible(edit.getByRole('alert').filter({ hasText: '(options.headers)' }), 15_000);
    expect(await soHook()).toMatchObject({ Headers: { 'X-Tenant': 'acme', 'X-Api-Token': TOKEN_VALUE } });
    await editSettings.getByRole('button', { name: 'Remove header 3' }).click();

    // Remove header 1 from the keyboard: the focus moves to the row that took its place.
    await editSettings.getByRole('button', { name: 'Remove header 1' }).focus();
    await page.keyboard.press('Enter');
    expect(await focusedName(page)).toBe('Header 1 name');
    expect(await editSettings.getByLabel('Header 1 name').inputValue()).toBe('X-Api-Token');
    expect(await editSettings.getByLabel('Header 2 name').count()).toBe(0);
    await editSettings.getByLabel('Errors email (optional)').fill('');
    await expectAccessible(page, 'Webhooks (SuperOffice edit)');
    await edit.scrollIntoViewIfNeeded();
    await shoot(page, '2-superoffice-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.count(), { timeout: 15_000 }).toBe(0);
    // Only what changed: the cleared email as null, the new header list; properties (untouched) left out.
    expect(sent.at(-1)).toEqual({
      id,
      events: ['contact.created'],
      options: { errorsEmail: null, headers: [{ name: 'X-Api-Token', value: TOKEN_VALUE }] },
    });
    expect(await optionsOf(id)).toMatchObject({ errorsEmail: null, headers: [{ name: 'X-Api-Token', value: TOKEN_VALUE }] });
    expect(await soHook()).toMatchObject({ ErrorsEmail: null, Headers: { 'X-Api-Token': TOKEN_VALUE } });
    expect(Object.keys((await soHook())?.Headers ?? {})).toEqual(['X-Api-Token']);

    // An edit that changes nothing of the settings sends none of them.
    await row.getByRole('button', { name: 'Edit so-options' }).click();
    await visible(edit);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.count(), { timeout: 15_000 }).toBe(0);
    expect(sent.at(-1)).toEqual({ id, events: ['contact.created'] });

    expect(consoleText.filter((text) => text.includes(TOKEN_VALUE))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('creates a Paybook V1 webhook with a delay: a delay past a day is refused in the page, a bad user by the gateway', async () => {
    const { page, problems, sent } = await openWebhooks();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const form = page.getByRole('form', { name: 'New webhook' });
    await form.getByLabel('Provider').selectOption('PAYBOOK');
    const settings = form.getByRole('group', { name: 'Vendor settings' });
    const delay = settings.getByLabel('Delay in seconds (optional)');
    const user = settings.getByLabel('Paybook user (optional)');
    // The vendor default is a V1 webhook: its user and delay; a V3 subscription has an environment instead.
    await visible(delay);
    expect(await settings.getByLabel('Environment').count()).toBe(0);
    await form.getByLabel('Payload format').selectOption('3');
    await visible(settings.getByLabel('Environment'));
    expect(await delay.count()).toBe(0);
    expect(
      await settings
        .getByLabel('Environment')
        .locator('option')
        .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value)),
    ).toEqual(['', 'PRODUCTION', 'SANDBOX']);
    await form.getByLabel('Payload format').selectOption('1');
    await visible(delay);

    await form.getByLabel('Name (optional)').fill('pb-delay');
    await form.getByLabel('Search Paybook Sync events').fill('credential_create');
    await form.getByRole('checkbox', { name: /^credential_create/ }).check();

    // 90000 seconds is past a day: refused here, nothing sent, the focus on the field with its message.
    await delay.fill('90000');
    await form.getByRole('button', { name: 'Create with 1 event' }).click();
    await visible(form.getByRole('alert').filter({ hasText: 'Nothing was sent' }));
    await visible(settings.getByText('A whole number of seconds from 0 to 86400 (a day).'));
    expect(await delay.getAttribute('aria-invalid')).toBe('true');
    expect(await focusedName(page)).toBe('Delay in seconds (optional)');
    expect(sent).toEqual([]);
    await expectAccessible(page, 'Webhooks (Paybook delay refused)');
    await form.scrollIntoViewIfNeeded();
    await shoot(page, '3-paybook-refused');

    // A user id with a space passes the page; the gateway's ValidationError (idUser) shows inline and marks the field.
    await delay.fill('30');
    await user.fill('not a user');
    await form.getByRole('button', { name: 'Create with 1 event' }).click();
    await visible(form.getByRole('alert').filter({ hasText: '(idUser)' }), 15_000);
    expect(await user.getAttribute('aria-invalid')).toBe('true');
    expect(await delay.getAttribute('aria-invalid')).toBe('false');
    expect(sent.at(-1)?.['options']).toEqual({ idUser: 'not a user', delaySeconds: 30 });
    await shoot(page, '4-paybook-gateway-refused');

    await user.fill('');
    await form.getByRole('button', { name: 'Create with 1 event' }).click();
    await visible(page.getByRole('rowheader', { name: 'pb-delay' }), 15_000);
    expect(sent.at(-1)).toEqual({
      provider: 'PAYBOOK',
      events: ['credential_create'],
      name: 'pb-delay',
      payloadVersion: '1',
      options: { delaySeconds: 30 },
    });
    const { id, externalIds } = await webhookNamed('pb-delay');
    expect(await optionsOf(id)).toMatchObject({ delaySeconds: 30, idUser: null, environment: null });
    const pbHook = await atVendor<{ id_webhook: string; delay: number; id_user: string | null }>('PAYBOOK', (h) =>
      externalIds.includes(h.id_webhook),
    );
    expect(pbHook).toMatchObject({ delay: 30, id_user: null });

    // Editing it shows the stored delay.
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'pb-delay' }) });
    await row.getByRole('button', { name: 'Edit pb-delay' }).click();
    const edit = page.getByRole('form', { name: 'Edit pb-delay' });
    expect(await edit.getByLabel('Delay in seconds (optional)').inputValue()).toBe('30');
    await shoot(page, '5-paybook-edit');
    expect(problems).toEqual([]);
  });
});
