import { HEALTH_REASONS, type RefusalCount, type WebhookHealth } from '../store/health.js';
import { builder } from './builder.js';
import { listCost } from './cost.js';
import { WebhookRef } from './webhook.js';

const RefusalCountRef = builder.objectRef<RefusalCount>('RefusalCount').implement({
  description: 'Deliveries refused for one reason',
  fields: (t) => ({
    reason: t.exposeString('reason', { description: HEALTH_REASONS.join(', ') }),
    count: t.exposeInt('count'),
  }),
});

const WebhookHealthRef = builder.objectRef<WebhookHealth>('WebhookHealth').implement({
  description:
    'Deliveries to the webhook over `window` (and the current hour), counted in hourly buckets as they arrive; counts show within a second',
  fields: (t) => ({
    window: t.exposeString('window', { description: 'How far back the counts go, e.g. "24h"' }),
    lastDeliveryAt: t.expose('lastDeliveryAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The newest delivery, whatever its outcome',
    }),
    lastEventAt: t.expose('lastEventAt', { type: 'DateTime', nullable: true, description: 'The newest delivery that stored a new event' }),
    deliveries: t.exposeInt('deliveries', { description: 'Deliveries that reached this webhook (accepted or refused)' }),
    accepted: t.exposeInt('accepted', { description: 'Events stored' }),
    duplicates: t.exposeInt('duplicates', { description: 'Events delivered again (vendor retries), acknowledged and not stored twice' }),
    refused: t.exposeInt('refused', { description: 'Deliveries answered with an error' }),
    refusedByReason: t.field({
      type: [RefusalCountRef],
      description: 'The refused deliveries by reason, most frequent first',
      complexity: listCost(HEALTH_REASONS.length),
      resolve: (h) => h.refusedByReason,
    }),
    vendorFailures: t.exposeInt('vendorFailures', {
      description: 'Failed vendor calls about this webhook (status checks, reconciliation)',
    }),
    lastVendorError: t.exposeString('lastVendorError', { nullable: true, description: "hookgraph's message for the newest one" }),
    lastVendorErrorAt: t.expose('lastVendorErrorAt', { type: 'DateTime', nullable: true }),
  }),
});

// Read like every Webhook field (its READ scope is the type's), through the viewer's tenant only; one query for
// all the webhooks of a page (the dataloader plugin batches per request).
builder.objectField(WebhookRef, 'health', (t) =>
  t.loadable({
    type: WebhookHealthRef,
    nullable: true,
    description: 'Delivery counts of the last hours (null when the gateway runs with HOOKGRAPH_HEALTH_WINDOW_HOURS=0)',
    load: async (ids: string[], ctx) => {
      const health = ctx.services.store.health;
      if (!health.enabled) return ids.map(() => null);
      const found = await health.read(ctx.tenant.id, ids);
      return ids.map((id) => found.get(id) ?? null);
    },
    resolve: (w) => w.id,
  }),
);
