import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactUrl } from '../config.js';
import type { StoredEvent } from '../domain/event.js';
import { type BoundedSource, boundedSource, type SlowSubscriberError } from './slow-subscribers.js';

/** What travels on the bus: a committed event and the tenant chain link (see AppendedEvent). */
export interface BusMessage {
  prevSeq: number | null;
  event: StoredEvent;
}

/** A BusMessage as it is published: dates as ISO strings, the same in memory and through Redis. */
type Wire = {
  prevSeq: number | null;
  event: Omit<StoredEvent, 'occurredAt' | 'receivedAt'> & { occurredAt: string | null; receivedAt: string };
};

/** A key revoked (or its tenant's access otherwise ended) somewhere: every replica ends that key's streams. */
export interface AccessMessage {
  keyId: string;
}

/**
 * One topic per tenant, `<prefix>:events:<tenantId>`, and one for access changes, `<prefix>:access`: the Redis
 * channel names replicas share.
 */
type Topics = Record<`${string}:events:${string}`, [message: Wire]> & Record<`${string}:access`, [message: AccessMessage]>;

export interface EventBus {
  publish(message: BusMessage): void;
  /**
   * A tenant's messages for one reader, through a buffer of `bufferEvents`: a reader that falls further
   * behind is dropped and its next pull fails with a SlowSubscriberError (see boundedSource). It
   * listens from its first pull on.
   */
  subscribe(
    tenantId: string,
    options?: { bufferEvents?: number; onOverflow?: (error: SlowSubscriberError) => void },
  ): BoundedSource<BusMessage>;
  /** Starts listening at once (before the returned function is called) and returns the unsubscribe. */
  listen(tenantId: string, onMessage: (message: BusMessage) => void): () => void;
  /** Live listeners of a tenant in this process (metrics, and tests waiting for a subscriber). */
  listeners(tenantId: string): number;
  /** Tells every replica (this one included) that a key was revoked: see manage/access.ts. */
  publishAccess(message: AccessMessage): void;
  /** Listens for access messages from every replica; returns the unsubscribe. */
  listenAccess(onMessage: (message: AccessMessage) => void): () => void;
  /** Redis round-trip check for /ready; always ok in memory. */
  ping(): Promise<void>;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * yoga's createPubSub on per-tenant topics, so a tenant's listener never even receives another tenant's
 * messages. In memory by default; Redis pub/sub (yoga's event target) for replicas.
 *
 * Readers listen on the event target rather than through the pub/sub's own subscribe: its Repeater has
 * no buffer of its own (createPubSub's `repeaterBuffer` is one instance shared by every subscription), so
 * a reader 1,024 messages behind would make the publisher's dispatch throw RepeaterOverflowError.
 */
export function createEventBus({
  redisUrl,
  prefix = 'hookgraph',
  log = null,
}: {
  redisUrl: string | null;
  prefix?: string;
  /** Where Redis connection changes are reported (once per change). @default null: not reported */
  log?: Logger | null;
}): EventBus {
  let eventTarget: PubSubEventTarget<Topics>;
  let clients: Redis[] = [];
  let health: ReturnType<typeof watchRedis> | null = null;
  if (redisUrl) {
    health = watchRedis(redisUrl, log);
    const publishClient = health.watch(new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 }));
    // Subscriptions wait out an outage instead of failing: a SUBSCRIBE dropped after a few retries would
    // leave its tenant's listeners deaf after Redis comes back (ioredis re-subscribes only what succeeded).
    const subscribeClient = health.watch(new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null }));
    clients = [publishClient, subscribeClient];
    // yoga's event target drops the promises of PUBLISH, SUBSCRIBE and UNSUBSCRIBE: while Redis is down
    // (or at quit) they reject, and an unhandled rejection ends the process. These views catch them.
    eventTarget = createRedisEventTarget({
      publishClient: health.guard(publishClient),
      subscribeClient: health.guard(subscribeClient),
    });
  } else {
    eventTarget = new EventTarget();
    // One listener per stream of a tenant (up to maxSubscriptionsPerTenant): not a leak, so no warning at 11.
    setMaxListeners(0, eventTarget);
  }
  const pubsub = createPubSub<Topics>({ eventTarget });
  const topic = (tenantId: string) => `${prefix}:events:${tenantId}` as const;
  const accessTopic = `${prefix}:access` as const;
  const counts = new Map<string, number>();
  const listen = (tenantId: string, onMessage: (message: BusMessage) => void) => {
    const listener = ({ detail: { prevSeq, event } }: CustomEvent<Wire>) =>
      onMessage({
        prevSeq,
        event: { ...event, occurredAt: event.occurredAt ? new Date(event.occurredAt) : null, receivedAt: new Date(event.receivedAt) },
      });
    eventTarget.addEventListener(topic(tenantId), listener);
    counts.set(tenantId, (counts.get(tenantId) ?? 0) + 1);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      eventTarget.removeEventListener(topic(tenantId), listener);
      counts.set(tenantId, (counts.get(tenantId) ?? 1) - 1);
    };
  };
  return {
    kind: redisUrl ? 'redis' : 'memory',
    publish({ prevSeq, event }) {
      // In memory, a tenant nobody in this process listens to has no other audience.
      if (!redisUrl && !counts.get(event.tenantId)) return;
      pubsub.publish(topic(event.tenantId), {
        prevSeq,
        event: { ...event, occurredAt: event.occurredAt?.toISOString() ?? null, receivedAt: event.receivedAt.toISOString() },
      });
    },
    publishAccess(message) {
      pubsub.publish(accessTopic, { keyId: message.keyId });
    },
    listenAccess(onMessage) {
      const listener = ({ detail }: CustomEvent<AccessMessage>) => {
        // Bounded like every outside string: a key id is 12 characters.
        if (typeof detail?.keyId === 'string' && detail.keyId.length <= 64) onMessage({ keyId: detail.keyId });
      };
      eventTarget.addEventListener(accessTopic, listener);
      return () => eventTarget.removeEventListener(accessTopic, listener);
    },
    subscribe: (tenantId, { bufferEvents = 1_000, onOverflow } = {}) =>
      boundedSource<BusMessage>(bufferEvents, (push) => listen(tenantId, push), onOverflow),
    listen,
    listeners: (tenantId) => counts.get(tenantId) ?? 0,
    async ping() {
      for (const c of clients) if (c.status !== 'ready') throw new Error(`redis is ${c.status}`);
      if (clients[0]) await clients[0].ping();
    },
    async close() {
      health?.closing();
      // QUIT waits for a connection: one still retrying (the subscriber waits out outages) is just dropped.
      await Promise.all(clients.map((c) => (c.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c.disconnect())));
    },
  };
}

/**
 * Reports a Redis URL's connection as JSON log lines, once per change of state (connected, down,
 * reconnected), instead of ioredis' own plain-text line per failed attempt; counts the messages that
 * could not be published while it was down.
 */
function watchRedis(redisUrl: string, log: Logger | null) {
  const where = redactUrl(redisUrl);
  const watched: Redis[] = [];
  let state: 'connecting' | 'up' | 'down' | 'closing' = 'connecting';
  let lost = 0;
  /** Either client failing (a refused attempt, a lost connection, a command given up on) means down. */
  const down = (reason: string, code?: string) => {
    if (state === 'down' || state === 'closing') return;
    const was = state;
    state = 'down';
    log?.error(
      { redis: where, code },
      was === 'up'
        ? `REDIS_URL ${where}: connection lost (${reason}); reconnecting; deliveries are still stored, but subscriptions get no live events until it is back`
        : `REDIS_URL ${where} is unreachable: ${reason}; retrying; deliveries are still stored, but subscriptions get no live events until it is back`,
    );
  };
  const onError = (error: Error & { code?: string }) => down(error.code ?? error.message, error.code);
  const onReady = () => {
    if (state === 'up' || state === 'closing' || !watched.every((c) => c.status === 'ready')) return;
    const was = state;
    state = 'up';
    if (was === 'connecting') log?.info({ redis: where }, `Redis connected at ${where}`);
    else
      log?.info(
        { redis: where, lost },
        `Redis reconnected at ${where}${lost > 0 ? `; ${lost} message${lost === 1 ? '' : 's'} could not be published while it was down` : ''}`,
      );
    lost = 0;
  };
  return {
    watch(client: Redis): Redis {
      watched.push(client);
      client.on('error', onError);
      // A connection closed without an error (a server that accepts and hangs up, a restart) is down too.
      client.on('close', () => down('connection closed'));
      client.on('ready', onReady);
      return client;
    },
    /** The commands yoga's event target calls, with their failures reported instead of unhandled. */
    guard(client: Redis): Redis {
      return {
        on: (event: string, listener: (...args: unknown[]) => void) => client.on(event, listener),
        publish: (channel: string, message: string) =>
          client.publish(channel, message).catch((error: Error) => {
            if (state === 'closing') return;
            lost++;
            onError(error);
          }),
        subscribe: (...channels: string[]) => client.subscribe(...channels).catch(onError),
        unsubscribe: (...channels: string[]) => client.unsubscribe(...channels).catch(() => {}),
      } as unknown as Redis;
    },
    /** Quitting rejects what is still queued and closes the connections: that is not an outage. */
    closing(): void {
      state = 'closing';
    },
  };
}
