import { webhookIdOfDeliveryUrl } from '../domain/delivery-url.js';
import { UnsupportedError, ValidationError } from '../domain/errors.js';
import { builder } from './builder.js';
import { ConnectionRef } from './connection.js';
import { vendorErrors } from './errors.js';
import { ProviderKeyEnum } from './provider-key.js';
import { WebhookRef } from './webhook.js';

const SandboxDeliveryRef = builder.objectRef<{ url: string; status: number | null }>('SandboxDelivery').implement({
  fields: (t) => ({
    // Encoded as the Webhook node's own id, so webhook(id:) and filter.webhookIds take it as it is.
    webhookId: t.globalID({
      nullable: true,
      description: "The global id of the Webhook delivered to (its `id`), or null for a URL that is no webhook's deliveryUrl",
      resolve: (d) => {
        const id = webhookIdOfDeliveryUrl(d.url);
        return id === null ? null : { type: WebhookRef, id };
      },
    }),
    status: t.exposeInt('status', { nullable: true, description: 'HTTP status hookgraph answered the simulated vendor' }),
  }),
});

builder.mutationFields((t) => ({
  connectSandbox: t.field({
    type: [ConnectionRef],
    errors: { types: [ValidationError, UnsupportedError] },
    description:
      'Connects this tenant to the sandbox vendor of `provider`, or to all five when omitted: the sandbox opens an account with ' +
      'fresh random credentials, stored sealed like any vendor credentials and never shown. Idempotent: existing sandbox ' +
      'connections are kept; a provider connected to a real vendor is never replaced (ValidationError when named, skipped when ' +
      'omitted). Answers the sandbox connections of the tenant. UnsupportedError when the sandbox is off.',
    args: { provider: t.arg({ type: ProviderKeyEnum, required: false }) },
    resolve: async (_root, { provider }, ctx) => {
      if (!ctx.services.sandbox) throw new UnsupportedError('the sandbox is off (HOOKGRAPH_SANDBOX=0)');
      return (await ctx.services.sandbox.connect(ctx.tenant.id, provider)).connections;
    },
  }),
  triggerSandboxEvent: t.field({
    type: [SandboxDeliveryRef],
    errors: { types: vendorErrors },
    description: "Makes the sandbox vendor fire one event at this tenant's registered webhooks, in the vendor's delivery format",
    args: {
      provider: t.arg({ type: ProviderKeyEnum, required: true }),
      eventType: t.arg.string({ required: true, description: "A name from the provider's catalogue" }),
      shape: t.arg.string({
        description: 'Delivery shape where the vendor has several (Paybook v1|v3|v3-batch, SuperOffice entity|state|retry-cycle)',
      }),
    },
    resolve: (_root, { provider, eventType, shape }, ctx) => {
      if (!ctx.services.sandbox) throw new UnsupportedError('the sandbox is off (HOOKGRAPH_SANDBOX=0)');
      return ctx.services.sandbox.trigger(ctx.tenant.id, provider, eventType, shape);
    },
  }),
}));
