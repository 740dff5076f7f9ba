import { resolveCursorConnection } from '@pothos/plugin-relay';
import { UnsupportedError, ValidationError } from '../domain/errors.js';
import type { EventResource, StoredEvent } from '../domain/event.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { getProvider } from '../providers/registry.js';
import type { EventFilter } from '../store/events.js';
import type { StoredWebhook } from '../store/webhooks.js';
import { openEventStream } from '../stream/event-stream.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { connectionCost, countPayloadBytes, PAYLOAD_COST } from './cost.js';
import { vendorErrors } from './errors.js';
import { decodeCursor, decodeId, encodeCursor, tryDecodeId } from './ids.js';
import { ProviderRef } from './provider.js';
import { ProviderKeyEnum } from './provider-key.js';
import { readablePayload } from './scalars.js';
import { WebhookRef } from './webhook.js';

const EventResourceRef = builder.objectRef<EventResource>('EventResource').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Unified resource noun: invoice, contact, credential…' }),
    id: t.exposeString('id', { nullable: true, description: "The vendor's id of the resource, where the delivery names one" }),
  }),
});

export const EventRef = builder.node(builder.objectRef<StoredEvent>('Event'), {
  id: { resolve: (e) => e.id },
  loadOne: (id, ctx) => ctx.services.store.events.get(ctx.tenant.id, id),
  isTypeOf: (e) => typeof e === 'object' && e !== null && 'seq' in e && 'providerEventType' in e,
  fields: (t) => ({
    cursor: t.string({
      description: 'Position in the event log: pass as `after` to resume a subscription',
      resolve: (e, _args, ctx) => encodeCursor(ctx, e.seq),
    }),
    // Free (cost.ts): static, and loaded once per operation for every event.
    provider: t.field({ type: ProviderRef, complexity: 0, resolve: (e) => getProvider(e.provider) }),
    webhook: t.loadable({
      type: WebhookRef,
      nullable: true,
      complexity: 0,
      load: async (ids: string[], ctx: Context) => {
        const rows = await ctx.services.store.webhooks.getMany(ctx.tenant.id, ids);
        const byId = new Map(rows.map((w) => [w.id, w]));
        return ids.map((id) => byId.get(id) ?? new Error(`webhook ${id} not found`)) as (StoredWebhook | Error)[];
      },
      resolve: (e) => e.webhookId,
    }),
    type: t.exposeString('type', { description: 'Unified type, e.g. invoice.created' }),
    providerEventType: t.exposeString('providerEventType', { description: "The vendor's own event name" }),
    resource: t.field({ type: EventResourceRef, nullable: true, complexity: 0, resolve: (e) => e.resource }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', nullable: true }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    test: t.exposeBoolean('test'),
    payload: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The delivered payload; null, with a PAYLOAD_UNREADABLE error naming the event, when the stored payload cannot be serialized',
      complexity: PAYLOAD_COST,
      resolve: (e, _args, ctx, info) => {
        const payload = readablePayload(ctx, e);
        countPayloadBytes(e, ctx, info);
        return payload;
      },
    }),
  }),
});

const EventFilterInput = builder.inputType('EventFilter', {
  fields: (t) => ({
    providers: t.field({ type: [ProviderKeyEnum] }),
    types: t.stringList({ description: 'Unified types; `invoice.*` matches every invoice event' }),
    webhookIds: t.idList(),
  }),
});

type FilterArg = { providers?: ProviderKey[] | null; types?: string[] | null; webhookIds?: string[] | null } | null | undefined;

function toFilter(filter: FilterArg): EventFilter | null {
  if (!filter) return null;
  for (const type of filter.types ?? []) {
    if (!/^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/.test(type))
      throw new ValidationError(`not a unified type or prefix: ${type.slice(0, 64)}`, 'filter.types');
  }
  return {
    providers: filter.providers ?? null,
    types: filter.types ?? null,
    webhookIds: filter.webhookIds?.map((id) => decodeId(id, 'Webhook')) ?? null,
  };
}

builder.queryFields((t) => ({
  events: t.connection({
    type: EventRef,
    description: "The tenant's event log, newest last; page forwards with first/after or backwards with last/before",
    args: { filter: t.arg({ type: EventFilterInput }) },
    complexity: connectionCost({ defaultSize: 50, maxSize: 500 }),
    resolve: (_root, args, ctx) => {
      const filter = toFilter(args.filter);
      return resolveCursorConnection<Promise<StoredEvent[]>>(
        { args, toCursor: (e: StoredEvent) => encodeCursor(ctx, e.seq), defaultSize: 50, maxSize: 500 },
        ({ after, before, limit, inverted }) =>
          ctx.services.store.events.list(ctx.tenant.id, {
            filter,
            afterSeq: after ? decodeCursor(ctx, after, 'after') : null,
            beforeSeq: before ? decodeCursor(ctx, before, 'before') : null,
            limit,
            order: inverted ? 'desc' : 'asc',
          }),
      );
    },
  }),
  event: t.field({
    type: EventRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const raw = tryDecodeId(id, 'Event');
      return raw ? ctx.services.store.events.get(ctx.tenant.id, raw) : null;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  events: t.field({
    type: EventRef,
    description: 'Live events; with `after` (an Event cursor) first replays what was missed, with no gap and no duplicate',
    args: { filter: t.arg({ type: EventFilterInput }), after: t.arg.string() },
    subscribe: (_root, args, ctx) =>
      openEventStream({
        bus: ctx.services.bus,
        events: ctx.services.store.events,
        tenantId: ctx.tenant.id,
        filter: toFilter(args.filter),
        afterSeq: args.after ? decodeCursor(ctx, args.after) : null,
        bufferEvents: ctx.services.config.limits.subscriberBufferEvents,
        subscriber: ctx,
      }),
    resolve: (e: StoredEvent) => e,
  }),
}));

const SandboxDeliveryRef = builder.objectRef<{ url: string; status: number | null }>('SandboxDelivery').implement({
  fields: (t) => ({
    webhookId: t.id({ nullable: true, resolve: (d) => /\/hooks\/([0-9a-f-]{36})\//.exec(d.url)?.[1] ?? null }),
    status: t.exposeInt('status', { nullable: true, description: 'HTTP status hookgraph answered the simulated vendor' }),
  }),
});

builder.mutationFields((t) => ({
  sendTestEvent: t.field({
    type: WebhookRef,
    errors: { types: vendorErrors },
    description: "Asks the vendor for a test delivery (SuperOffice's Test endpoint; the sandbox vendor for the others)",
    args: { webhookId: t.arg.id({ required: true }) },
    resolve: (_root, { webhookId }, ctx) => ctx.services.webhooks.sendTest(ctx.tenant.id, decodeId(webhookId, 'Webhook')),
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
