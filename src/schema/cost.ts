import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import {
  type GraphQLField,
  GraphQLError,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { StoredEvent } from '../domain/event.js';
import type { Context } from './context.js';

/*
 * The cost of an operation, computed from its document and variables before anything runs
 * (src/graphql/limits.ts refuses it above config.limits.graphqlMaxCost) by @pothos/plugin-complexity:
 * - a leaf (scalar, enum) is free: it is a column of a row already read;
 * - an object costs 1 (a row, a resolver call);
 * - a list costs 1 per item and multiplies what is selected under it by its size: connections by
 *   `first`/`last` (or their default page), catalogues by their longest length, other lists by 10;
 * - Event.payload costs PAYLOAD_COST: a stored JSON document, not a column.
 * So `events(first: 500) { edges { node { …every Event field… } } }` costs 4,501 and six aliases of
 * `events(first: 100) { edges { node { payload } } }` cost 5,406.
 */

export const PAYLOAD_COST = 8;
/** Lists whose size nothing bounds but the vendor or the mutation (sync reports, sandbox deliveries). */
const UNKNOWN_LIST_SIZE = 10;

/** A list of `size` items: one per item, and everything under it `size` times. */
export const listCost = (size: number): FieldComplexityValue => ({ field: size, multiplier: size });

/** The default cost of a field with no `complexity` option (see above). */
export function defaultFieldCost(_args: unknown, _ctx: Context, field: GraphQLField<unknown, Context>): FieldComplexityValue {
  if (isLeafType(getNamedType(field.type))) return 0;
  return isList(field.type) ? listCost(UNKNOWN_LIST_SIZE) : 1;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * A Relay connection: the page it can return, from `first`/`last` clamped as the resolver clamps
 * them (or its default page). Edges and pageInfo add nothing (builder.ts): the page is counted here.
 */
export function connectionCost({ defaultSize, maxSize }: { defaultSize: number; maxSize: number }) {
  return ({ first, last }: { first?: number | null; last?: number | null }): FieldComplexityValue => {
    const size = first == null && last == null ? defaultSize : Math.min(Math.max(first ?? 0, last ?? 0, 0), maxSize);
    return { field: 1 + size, multiplier: size };
  };
}

// Bytes of stored payload read so far, per operation (its context) or, for a subscription, per event
// (graphql-js executes each event with the event as root value).
const bytesRead = new WeakMap<object, number>();
// The serialized size of each recently read event's payload, by event id: stored payloads never
// change, and fifty subscribers replaying one log (each with its own copy of the rows) measure it once.
const sizeOfEvent = new LRUCache<string, number>({ max: 20_000 });

/**
 * Counts a payload Event.payload is about to return against config.limits.graphqlMaxResponseBytes:
 * past the ceiling the field errors instead of adding to a giant answer. The count is of the
 * payload's serialized bytes (the payload was already judged serializable: scalars.ts).
 */
export function countPayloadBytes(event: StoredEvent, ctx: Context, info: GraphQLResolveInfo): void {
  const max = ctx.services.config.limits.graphqlMaxResponseBytes;
  const root: unknown = info.rootValue;
  const scope = info.operation.operation === 'subscription' && typeof root === 'object' && root !== null ? root : ctx;
  const used = (bytesRead.get(scope) ?? 0) + payloadBytes(event);
  bytesRead.set(scope, used);
  if (used > max) {
    throw new GraphQLError(
      `response too large: this operation read more than ${max} bytes of stored payloads (HOOKGRAPH_GRAPHQL_MAX_RESPONSE_BYTES); ask for fewer events per page, or leave out payload`,
      { extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'graphqlMaxResponseBytes', maxBytes: max } },
    );
  }
}

function payloadBytes(event: StoredEvent): number {
  let bytes = sizeOfEvent.get(event.id);
  if (bytes === undefined) {
    bytes = Buffer.byteLength(JSON.stringify(event.payload ?? null));
    sizeOfEvent.set(event.id, bytes);
  }
  return bytes;
}
