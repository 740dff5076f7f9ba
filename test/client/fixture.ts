import { CreateWebhookDocument, TriggerSandboxEventDocument } from '../../src/client/index.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';

/** expect.poll's options for what crosses a socket: a reconnect after a dropped socket alone waits 0.25–0.5 s. */
export const soon = { timeout: 5_000 };

export interface ClientFixture {
  t: TestApp;
  tenant: TestTenant;
  /** The global id of the tenant's SuperOffice webhook for contact.created. */
  webhookId: string;
  /** Fires one contact.created at the tenant's webhook through the sandbox vendor (the API key, over HTTP). */
  trigger(): Promise<void>;
  /** Live subscribers of the tenant's events in the gateway: a subscription counts once the server runs it. */
  listeners(): number;
}

/** A gateway on loopback with one tenant connected to the SuperOffice sandbox and one webhook: the clients' target. */
export async function startClientFixture(): Promise<ClientFixture> {
  const t = await startTestApp();
  const tenant = await t.tenant();
  await t.connectSandbox(tenant, 'SUPEROFFICE');
  const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, {
    input: { provider: 'SUPEROFFICE', events: ['contact.created'], name: 'clients' },
  });
  if (createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(`createWebhook: ${createWebhook.__typename}`);
  return {
    t,
    tenant,
    webhookId: createWebhook.data.id,
    async trigger() {
      const { triggerSandboxEvent: r } = await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, {
        provider: 'SUPEROFFICE',
        eventType: 'contact.created',
      });
      if (r.__typename !== 'TriggerSandboxEventSuccess' || !r.data.some((d) => d.status === 200))
        throw new Error(`triggerSandboxEvent: ${JSON.stringify(r)}`);
    },
    listeners: () => t.app.services.bus.listeners(tenant.id),
  };
}
