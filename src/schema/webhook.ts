import { resolveCursorConnection } from '@pothos/plugin-relay';
import { NotConnectedError, ProviderError, ValidationError } from '../domain/errors.js';
import { WebhookStatus } from '../domain/webhook.js';
import { combineStatus, type SyncReport } from '../manage/webhooks.js';
import { getProvider } from '../providers/registry.js';
import type { StoredWebhook } from '../domain/webhook.js';
import { builder } from './builder.js';
import { connectionCost } from './cost.js';
import { vendorErrors } from './errors.js';
import { decodeId, openCursor, sealCursor } from './ids.js';
import { ProviderRef } from './provider.js';
import { ProviderKeyEnum, WebhookStatusEnum } from './provider-key.js';

export const WebhookRef = builder.node(builder.objectRef<StoredWebhook>('Webhook'), {
  // Webhooks are READ's (a SUBSCRIBE token reading Event.webhook gets FORBIDDEN on it); deliveryUrl is ADMIN's.
  authScopes: { read: true },
  id: { resolve: (w) => w.id },
  loadMany: (ids, ctx) => Promise.all(ids.map((id) => ctx.loaders.webhook.load(id))),
  isTypeOf: (w) => typeof w === 'object' && w !== null && 'externalIds' in w,
  fields: (t) => ({
    provider: t.field({ type: ProviderRef, resolve: (w) => getProvider(w.provider) }),
    externalIds: t.exposeStringList('externalIds', { description: "The vendor's ids of the registrations this webhook owns" }),
    name: t.exposeString('name'),
    events: t.exposeStringList('events', { description: "Vendor event names, from the provider's catalogue" }),
    unifiedTypes: t.stringList({
      resolve: (w) => {
        const catalogue = new Map(getProvider(w.provider).eventTypes.map((e) => [e.name, e.unifiedType]));
        return [...new Set(w.events.map((e) => catalogue.get(e) ?? e))];
      },
    }),
    payloadVersion: t.exposeString('payloadVersion', { nullable: true }),
    deliveryUrl: t.string({
      description: 'Where the vendor delivers; its path carries an unguessable token (ADMIN only: it lets deliveries in)',
      authScopes: { admin: true },
      resolve: (w, _args, ctx) => ctx.services.deliveryUrl(w.id, ctx.services.store.webhooks.tokenOf(w)),
    }),
    status: t.field({
      type: WebhookStatusEnum,
      description: "The vendor's current state; the last known state when the vendor cannot be reached",
      resolve: async (w, _args, ctx) => {
        if (w.deletedAt) return WebhookStatus.DELETED;
        try {
          const remote = await ctx.loaders.remoteHooks.load(w.provider);
          return combineStatus(w.externalIds.map((id) => remote.get(id)?.status ?? WebhookStatus.DELETED));
        } catch (error) {
          // The vendor unreachable or refusing, the connection gone, its host no longer allowed: the last known
          // state stands. Anything else is a fault of ours, reported as such rather than hidden behind it.
          if (error instanceof ProviderError || error instanceof NotConnectedError || error instanceof ValidationError) return w.status;
          throw error;
        }
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** A webhooks page position: the (createdAt, id) key the list is ordered by, as sealed in its cursor. */
function webhookPosition(position: string): { createdAt: string; id: string } {
  const bar = position.indexOf('|');
  return { createdAt: position.slice(0, bar), id: position.slice(bar + 1) };
}

const RemoteHookRef = builder
  .objectRef<{ externalId: string; url: string; events: string[]; name: string | null; status: WebhookStatus }>('VendorWebhook')
  .implement({
    description: 'A registration at the vendor that hookgraph does not manage',
    fields: (t) => ({
      externalId: t.exposeString('externalId'),
      url: t.exposeString('url'),
      events: t.exposeStringList('events'),
      name: t.exposeString('name', { nullable: true }),
      status: t.field({ type: WebhookStatusEnum, resolve: (r) => r.status }),
    }),
  });

const DriftRef = builder.objectRef<{ webhook: StoredWebhook; reason: string }>('WebhookDrift').implement({
  fields: (t) => ({ webhook: t.field({ type: WebhookRef, resolve: (d) => d.webhook }), reason: t.exposeString('reason') }),
});

const SyncReportRef = builder.objectRef<SyncReport>('WebhookSyncReport').implement({
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, resolve: (r) => r.provider }),
    adopted: t.field({ type: [WebhookRef], resolve: (r) => r.adopted }),
    deleted: t.field({ type: [WebhookRef], resolve: (r) => r.deleted }),
    drifted: t.field({ type: [DriftRef], resolve: (r) => r.drifted }),
    unmanaged: t.field({ type: [RemoteHookRef], resolve: (r) => r.unmanaged }),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.connection({
    type: WebhookRef,
    args: {
      provider: t.arg({ type: ProviderKeyEnum }),
      includeDeleted: t.arg.boolean({ defaultValue: false }),
    },
    // The page sizes of resolveCursorConnection's defaults, used below.
    complexity: connectionCost({ defaultSize: 20, maxSize: 100 }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection<Promise<StoredWebhook[]>>(
        { args, toCursor: (w: StoredWebhook) => sealCursor(ctx, 'webhook', `${w.createdAt.toISOString()}|${w.id}`) },
        async ({ after, limit, inverted }) => {
          if (inverted) throw new ValidationError('webhooks pages forwards only (first/after)', 'last');
          return ctx.services.store.webhooks.list(ctx.tenant.id, {
            provider: args.provider ?? null,
            includeDeleted: args.includeDeleted ?? false,
            after: after ? webhookPosition(openCursor(ctx, 'webhook', after)) : null,
            limit,
          });
        },
      ),
  }),
  webhook: t.field({
    type: WebhookRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    // A malformed id is BAD_USER_INPUT; a Webhook id that names no webhook of this tenant is null.
    resolve: (_root, { id }, ctx) => ctx.loaders.webhook.load(decodeId(id, 'Webhook')),
  }),
}));

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    provider: t.field({ type: ProviderKeyEnum, required: true }),
    events: t.stringList({ required: true, description: "Names from the provider's eventTypes catalogue" }),
    name: t.string(),
    payloadVersion: t.string({ description: 'Vendor payload format where it can be chosen (Booqable: "1" form-encoded or "4" JSON)' }),
  }),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    events: t.stringList(),
    name: t.string(),
    enabled: t.boolean({ description: 'Pause or resume delivery where the vendor has a state (SuperOffice)' }),
  }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.webhooks.create(ctx.tenant.id, input),
  }),
  updateWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description: 'Updates in place where the vendor can, else deletes and recreates transparently',
    args: { input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.webhooks.update(ctx.tenant.id, decodeId(input.id, 'Webhook', 'input.id'), input),
  }),
  sendTestEvent: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description: "Asks the vendor for a test delivery (SuperOffice's Test endpoint; the sandbox vendor for the others)",
    args: { webhookId: t.arg.id({ required: true }) },
    resolve: (_root, { webhookId }, ctx) => ctx.services.webhooks.sendTest(ctx.tenant.id, decodeId(webhookId, 'Webhook', 'webhookId')),
  }),
  deleteWebhook: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.webhooks.delete(ctx.tenant.id, decodeId(id, 'Webhook')),
  }),
  syncWebhooks: t.field({
    type: [SyncReportRef],
    errors: { types: vendorErrors },
    description: "Reconciles hookgraph's records with each connected vendor's list (or one provider's)",
    args: { provider: t.arg({ type: ProviderKeyEnum }) },
    resolve: async (_root, { provider }, ctx) => {
      const keys = provider ? [provider] : (await ctx.services.connections.list(ctx.tenant.id)).map((c) => c.provider);
      return Promise.all(keys.map((k) => ctx.services.webhooks.sync(ctx.tenant.id, k)));
    },
  }),
}));
