import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { ValidationError } from '../domain/errors.js';
import type { EventResource, StoredEvent } from '../domain/event.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { getProvider } from '../providers/registry.js';
import { intersectFilters } from '../domain/access.js';
import { type EventFilter, matchesFilter } from '../domain/event-filter.js';
import { effectiveRetention, formatRetention } from '../store/retention.js';
import { CursorExpiredError, openEventStream } from '../stream/event-stream.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { connectionCost, countPayloadBytes, PAYLOAD_COST } from './cost.js';
import { decodeCursor, decodeId, encodeCursor } from './ids.js';
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
  loadOne: (id, ctx) => loadEvent(ctx, id),
  isTypeOf: (e) => typeof e === 'object' && e !== null && 'seq' in e && 'providerEventType' in e,
  fields: (t) => ({
    cursor: t.string({
      description: 'Position in the event log: pass as `after` to resume a subscription',
      resolve: (e, _args, ctx) => encodeCursor(ctx, e.seq),
    }),
    // Free (cost.ts): static, and loaded once per operation for every event.
    provider: t.field({ type: ProviderRef, complexity: 0, resolve: (e) => getProvider(e.provider) }),
    webhook: t.field({
      type: WebhookRef,
      nullable: true,
      complexity: 0,
      // READ's, like the Webhook type: refused here, on the field, rather than on each field of the webhook.
      authScopes: { read: true },
      resolve: (e, _args, ctx) => (e.webhookId === null ? null : ctx.loaders.webhook.load(e.webhookId)),
    }),
    webhookId: t.id({
      nullable: true,
      description:
        "The global id of the Webhook it arrived on (Webhook.id), readable with SUBSCRIBE where `webhook` needs READ; null for hookgraph's own events without one",
      complexity: 0,
      resolve: (e) => (e.webhookId === null ? null : encodeGlobalID('Webhook', e.webhookId)),
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

export const EventFilterInput = builder.inputType('EventFilter', {
  fields: (t) => ({
    providers: t.field({ type: [ProviderKeyEnum] }),
    types: t.stringList({ description: 'Unified types; `invoice.*` matches every invoice event' }),
    webhookIds: t.idList(),
  }),
});

export type FilterArg = { providers?: ProviderKey[] | null; types?: string[] | null; webhookIds?: string[] | null } | null | undefined;

/** One event of the tenant, or null when there is none or the viewer's filter (a scoped key or token) hides it. */
async function loadEvent(ctx: Context, id: string): Promise<StoredEvent | null> {
  const event = await ctx.services.store.events.get(ctx.tenant.id, id);
  return event && matchesFilter(event, ctx.viewer.filter) ? event : null;
}

/** A client's filter narrowed by the viewer's own (domain/access.ts): a filtered key never reads past it. */
function viewerFilter(ctx: Context, filter: FilterArg): EventFilter | null {
  return intersectFilters(ctx.viewer.filter, toFilter(filter));
}

/** A list the client gave as `[]` or null restricts nothing (an empty list in an EventFilter matches nothing). */
const given = <T>(list: readonly T[] | null | undefined): readonly T[] | null => (list && list.length > 0 ? list : null);

/**
 * Entries per filter list and characters per type: what a key stores and a token carries (manage/access.ts checks a
 * token's claims against the same bounds), so a filter taken here is one a token can hold.
 */
const MAX_FILTER_ITEMS = 100;
const MAX_TYPE_CHARS = 200;

export function toFilter(filter: FilterArg): EventFilter | null {
  if (!filter) return null;
  for (const [field, list] of [
    ['providers', filter.providers],
    ['types', filter.types],
    ['webhookIds', filter.webhookIds],
  ] as const) {
    if (list && list.length > MAX_FILTER_ITEMS)
      throw new ValidationError(`filter.${field} holds at most ${MAX_FILTER_ITEMS} entries`, `filter.${field}`);
  }
  for (const type of filter.types ?? []) {
    if (type.length > MAX_TYPE_CHARS || !/^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/.test(type))
      throw new ValidationError(`not a unified type or prefix: ${type.slice(0, 64)}`, 'filter.types');
  }
  return {
    providers: given(filter.providers),
    types: given(filter.types),
    webhookIds: given(filter.webhookIds)?.map((id) => decodeId(id, 'Webhook', 'filter.webhookIds')) ?? null,
  };
}

/** extensions.code of the error for a cursor whose events retention has pruned (src/store/retention.ts). */
export const CURSOR_EXPIRED = 'CURSOR_EXPIRED';

/**
 * The error for a cursor below the tenant's retention horizon: it says how to recover, and carries the
 * horizon as a cursor (extensions.horizon), from which every event still kept replays.
 */
function cursorExpiredError(ctx: Context, error: CursorExpiredError, field: 'after' | 'before'): GraphQLError {
  const window = effectiveRetention(error.horizon.retention, ctx.services.config.retentionMs);
  const retention = window === null ? null : formatRetention(window);
  const pruned = `events ${field} this cursor were pruned${retention === null ? '' : ` (retention ${retention})`}`;
  const recovery =
    field === 'after'
      ? 'subscribe without `after`, or resume with `after` set to extensions.horizon (from the oldest event kept, the first that `events(first: 1)` lists), and reconcile the gap from the vendor if needed'
      : 'page forwards with `after` set to extensions.horizon (from the oldest event kept), or backwards from a newer cursor';
  return new GraphQLError(`${pruned}: ${recovery}`, {
    extensions: { code: CURSOR_EXPIRED, field, horizon: encodeCursor(ctx, error.horizon.seq), ...(retention !== null && { retention }) },
  });
}

/** CURSOR_EXPIRED when either cursor of a page lies below the tenant's horizon; one at the horizon is complete. */
async function assertPageKept(ctx: Context, cursors: { after: number | null; before: number | null }): Promise<void> {
  if (cursors.after === null && cursors.before === null) return;
  const horizon = await ctx.services.store.events.horizon(ctx.tenant.id);
  for (const field of ['after', 'before'] as const) {
    const seq = cursors[field];
    if (seq !== null && seq < horizon.seq) throw cursorExpiredError(ctx, new CursorExpiredError(seq, horizon), field);
  }
}

/** What a subscription's stream ends with when the pruner overtakes its replay: resolved into CURSOR_EXPIRED. */
interface Expired {
  expired: CursorExpiredError;
}

/**
 * The stream, with a CursorExpiredError turned into one last source event that the field's resolver throws
 * as CURSOR_EXPIRED: the client gets it as an ordinary result, over graphql-ws and SSE alike, instead of a
 * failed transport. A plain object, not a generator: `return` must reach the stream at once (its listener).
 */
function expiryAsResult(stream: AsyncIterableIterator<StoredEvent>): AsyncIterableIterator<StoredEvent | Expired> {
  let ended = false;
  return {
    async next(): Promise<IteratorResult<StoredEvent | Expired>> {
      if (ended) return { value: undefined, done: true };
      try {
        return await stream.next();
      } catch (error) {
        if (!(error instanceof CursorExpiredError)) throw error;
        ended = true;
        return { value: { expired: error }, done: false };
      }
    },
    async return() {
      ended = true;
      await stream.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      ended = true;
      await stream.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

builder.queryFields((t) => ({
  events: t.connection({
    type: EventRef,
    description: "The tenant's event log, newest last; page forwards with first/after or backwards with last/before",
    args: { filter: t.arg({ type: EventFilterInput }) },
    complexity: connectionCost({ defaultSize: 50, maxSize: 500 }),
    skipTypeScopes: true,
    authScopes: { read: true, subscribe: true },
    resolve: (_root, args, ctx) => {
      const filter = viewerFilter(ctx, args.filter);
      return resolveCursorConnection<Promise<StoredEvent[]>>(
        { args, toCursor: (e: StoredEvent) => encodeCursor(ctx, e.seq), defaultSize: 50, maxSize: 500 },
        async ({ after, before, limit, inverted }) => {
          const cursors = {
            after: after ? decodeCursor(ctx, after, 'after') : null,
            before: before ? decodeCursor(ctx, before, 'before') : null,
          };
          const page = await ctx.services.store.events.list(ctx.tenant.id, {
            filter,
            afterSeq: cursors.after,
            beforeSeq: cursors.before,
            limit,
            order: inverted ? 'desc' : 'asc',
          });
          // After the read: a prune that committed before it has moved the horizon by now (they commit together).
          await assertPageKept(ctx, cursors);
          return page;
        },
      );
    },
  }),
  event: t.field({
    type: EventRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    skipTypeScopes: true,
    authScopes: { read: true, subscribe: true },
    // A malformed id is BAD_USER_INPUT; an Event id that names no event of this tenant (or none the viewer may see) is null.
    resolve: (_root, { id }, ctx) => loadEvent(ctx, decodeId(id, 'Event')),
  }),
}));

builder.subscriptionFields((t) => ({
  events: t.field({
    type: EventRef,
    description: 'Live events; with `after` (an Event cursor) first replays what was missed, with no gap and no duplicate',
    args: { filter: t.arg({ type: EventFilterInput }), after: t.arg.string() },
    // The stream checks the cursor against the retention horizon as it starts and after each page it
    // replays (the pruner may overtake a long replay): either way CURSOR_EXPIRED comes as a result.
    subscribe: (_root, args, ctx) =>
      expiryAsResult(
        openEventStream({
          bus: ctx.services.bus,
          events: ctx.services.store.events,
          tenantId: ctx.tenant.id,
          filter: viewerFilter(ctx, args.filter),
          afterSeq: args.after ? decodeCursor(ctx, args.after) : null,
          bufferEvents: ctx.services.config.limits.subscriberBufferEvents,
          subscriber: ctx,
        }),
      ),
    resolve: (e: StoredEvent | Expired, _args, ctx) => {
      if ('expired' in e) throw cursorExpiredError(ctx, e.expired, 'after');
      return e;
    },
  }),
}));
