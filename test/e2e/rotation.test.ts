import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql } from '../utils/graphql.js';
import { authHeaders, createHooks, type Hook, REAL_NAME, type Vendor, vendorBody } from '../ingest/vendors.js';

const ROTATE = `mutation ($id: ID!, $grace: Int) { rotateWebhookSecret(id: $id, graceSeconds: $grace) {
  __typename ... on RotateWebhookSecretSuccess { data { id deliveryUrl } } ... on Error { message } } }`;

describe('rotateWebhookSecret: a new token and secret at the vendor, the old ones accepted until the grace ends', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let hooks: Record<Vendor, Hook>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant('rotation');
    hooks = await createHooks(t, tenant);
  });

  /** POSTs a well-formed, authentic (for `hook`'s secret) delivery to `path`; the status. */
  async function post(hook: Hook, path: string, secret = hook.secret): Promise<number> {
    const body = JSON.stringify(vendorBody(hook.provider, REAL_NAME[hook.provider], randomUUID()));
    const res = await request(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders({ ...hook, secret }, body) },
      body,
    });
    await res.body.dump();
    return res.statusCode;
  }

  async function rotate(hook: Hook, grace: number) {
    const res = await gql<{ rotateWebhookSecret: { __typename: string; data?: { deliveryUrl: string }; message?: string } }>(
      t.url,
      tenant.key,
      ROTATE,
      { id: hook.id, grace },
    );
    return res.body.data?.rotateWebhookSecret;
  }

  it.each(['SUPEROFFICE', 'ROOTFI', 'BOOQABLE'] as const)(
    '%s: registers the new URL and secret at the vendor; the old ones work until the grace ends, then 401',
    async (provider) => {
      const hook = hooks[provider];
      const rotated = await rotate(hook, 2);
      expect(rotated?.__typename).toBe('RotateWebhookSecretSuccess');
      const newPath = new URL(rotated?.data?.deliveryUrl ?? '').pathname;
      expect(newPath).not.toBe(hook.path);
      const secrets = await t.app.services.store.webhooks.secrets(tenant.id, hook.uuid);
      expect(secrets?.secret).not.toBe(hook.secret);
      // The vendor holds the new URL: its own deliveries arrive there.
      const remote = await (await t.app.services.connections.connector(tenant.id, provider)).listWebhooks();
      expect(remote.map((r) => new URL(r.url).pathname)).toContain(newPath);
      expect(await post(hook, newPath, secrets?.secret)).toBe(200);
      // In the grace: the old URL and secret still deliver.
      expect(await post(hook, hook.path)).toBe(200);
      // After it: refused.
      await expect.poll(() => post(hook, hook.path), { timeout: 8_000, interval: 250 }).toBe(401);
      expect(await post(hook, newPath, secrets?.secret)).toBe(200);
    },
  );

  it('leaves everything as it was when the vendor refuses the change', async () => {
    const hook = hooks.PAYBOOK;
    const before = await t.app.services.store.webhooks.secrets(tenant.id, hook.uuid);
    t.app.services.sandbox?.vendors.PAYBOOK.injectFault({ method: 'POST', status: 400 });
    const refused = await rotate(hook, 60);
    expect(refused?.__typename).toBe('ProviderError');
    expect(await t.app.services.store.webhooks.secrets(tenant.id, hook.uuid)).toEqual(before);
    expect(await post(hook, hook.path)).toBe(200);
  });

  it('refuses a grace outside 0 to 7 days', async () => {
    expect((await rotate(hooks.DESKERA, -1))?.__typename).toBe('ValidationError');
    expect((await rotate(hooks.DESKERA, 8 * 24 * 3600))?.__typename).toBe('ValidationError');
  });
});
