import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import type { StoredEvent } from '../domain/event.js';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { payloadUnreadableError } from './errors.js';
import { encodeCursor } from './ids.js';

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date-time in UTC, e.g. 2026-01-31T12:00:00.000Z',
  serialize: (value) => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return value.toISOString();
  },
  parseValue: (value) => {
    const d = typeof value === 'string' ? new Date(value) : null;
    if (!d || Number.isNaN(d.getTime())) throw new GraphQLError('DateTime must be an ISO-8601 string');
    return d;
  },
});

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.NULL:
      return null;
    default:
      throw new GraphQLError('JSON literals cannot contain variables');
  }
}

/**
 * The deepest JSON any reader serializes. Ingest refuses far shallower bodies (config.limits.maxJsonDepth,
 * default 64); this bound is for rows stored before that limit existed or under a larger one, and stays
 * well below the depth at which JSON.stringify overflows the stack (about 4,100 levels from a shallow
 * stack, 1,500 from under 5,000 nested calls, measured on Node 20), so a value that passes serializes on every
 * transport: HTTP, SSE and graphql-ws.
 */
export const JSON_READ_MAX_DEPTH = 512;

/**
 * Why `value` cannot be serialized as JSON by every transport, or null when it can: nested deeper than
 * `maxDepth` (containers on one path, the outermost counting 1), or holding a BigInt. Iterative, so a
 * value of any depth (or a cycle) is judged without using the stack itself; stops at the first problem.
 */
export function jsonProblem(value: unknown, maxDepth = JSON_READ_MAX_DEPTH): string | null {
  if (typeof value === 'bigint') return BIGINT;
  if (typeof value !== 'object' || value === null) return null;
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return `it is nested deeper than ${maxDepth} levels`;
    if (container instanceof Date) continue;
    // Indexed loops and for…in allocate nothing per container (Object.values would): about a
    // quarter of JSON.stringify's time for the same value.
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) {
        const child: unknown = container[i];
        if (typeof child === 'bigint') return BIGINT;
        if (typeof child === 'object' && child !== null) {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      // JSON.parse makes plain objects: no enumerable inherited keys for for…in to wander into.
      for (const key in container) {
        const child: unknown = (container as Record<string, unknown>)[key];
        if (typeof child === 'bigint') return BIGINT;
        if (typeof child === 'object' && child !== null) {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return null;
}

const BIGINT = 'it holds a BigInt';

/** Values already judged serializable, so the JSON scalar does not walk them a second time. */
const readable = new WeakSet<object>();

/**
 * `value` when it serializes safely, else the error `unreadable(reason)` builds: a field error for that
 * value alone, where JSON.stringify inside a transport would fail the whole response, or the process.
 */
export function readableJson(value: unknown, unreadable: (reason: string) => GraphQLError): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'bigint') throw unreadable(BIGINT);
    return value;
  }
  if (readable.has(value)) return value;
  const problem = jsonProblem(value);
  if (problem !== null) throw unreadable(problem);
  readable.add(value);
  return value;
}

/** Event.payload: the stored payload, or a PAYLOAD_UNREADABLE field error naming the event. */
export function readablePayload(ctx: Pick<Context, 'tenant' | 'services'>, event: StoredEvent): unknown {
  return readableJson(event.payload, (reason) =>
    payloadUnreadableError({ id: encodeGlobalID('Event', event.id), cursor: encodeCursor(ctx, event.seq) }, reason),
  );
}

builder.scalarType('JSON', {
  description: 'Any JSON value',
  // Every JSON output is checked here too: a value nested past JSON_READ_MAX_DEPTH would make the
  // transport's JSON.stringify throw after execution, where no field error can be given any more.
  serialize: (value) =>
    readableJson(
      value,
      (reason) => new GraphQLError(`JSON value cannot be serialized: ${reason}`, { extensions: { code: 'JSON_UNREADABLE' } }),
    ),
  parseValue: (value) => value,
  parseLiteral: literal,
});
