import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactUrl } from './config.js';
import type { StoredEvent } from './domain/event.js';

/** What travels on the bus: a committed event and the tenant chain link (see AppendedEvent). */
export interface BusMessage {
  prevSeq: number | null;
  event: StoredEvent;
}

type Json = Omit<StoredEvent, 'occurredAt' | 'receivedAt'> & { occurredAt: string | null; receivedAt: string };

export interface EventBus {
  publish(message: BusMessage): void;
  /** Starts listening at once (before the returned function is called) and returns the unsubscribe. */
  listen(tenantId: string, onMessage: (message: BusMessage) => void): () => void;
  /** Live listeners of a tenant in this process (metrics, and tests waiting for a subscriber). */
  listeners(tenantId: string): number;
  /** Redis round-trip check for /ready; always ok in memory. */
  ping(): Promise<void>;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * Topics are per tenant (`<prefix>:events:<tenantId>`), so a tenant's listener never even receives
 * another tenant's messages. In memory by default; Redis pub/sub (yoga's event target) for replicas.
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
  let eventTarget: EventTarget;
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
    }) as unknown as EventTarget;
  } else {
    eventTarget = new EventTarget();
    // One listener per stream of a tenant (up to maxSubscriptionsPerTenant): not a leak, so no warning at 11.
    setMaxListeners(0, eventTarget);
  }
  const topic = (tenantId: string) => `${prefix}:events:${tenantId}`;
  const counts = new Map<string, number>();
  return {
    kind: redisUrl ? 'redis' : 'memory',
    publish(message) {
      // In memory, a tenant nobody in this process listens to has no other audience.
      if (!redisUrl && !counts.get(message.event.tenantId)) return;
      const json: { prevSeq: number | null; event: Json } = {
        prevSeq: message.prevSeq,
        event: {
          ...message.event,
          occurredAt: message.event.occurredAt?.toISOString() ?? null,
          receivedAt: message.event.receivedAt.toISOString(),
        },
      };
      eventTarget.dispatchEvent(new CustomEvent(topic(message.event.tenantId), { detail: json }));
    },
    listen(tenantId, onMessage) {
      const listener = (e: Event) => {
        const { prevSeq, event } = (e as CustomEvent<{ prevSeq: number | null; event: Json }>).detail;
        onMessage({
          prevSeq,
          event: { ...event, occurredAt: event.occurredAt ? new Date(event.occurredAt) : null, receivedAt: new Date(event.receivedAt) },
        });
      };
      eventTarget.addEventListener(topic(tenantId), listener);
      counts.set(tenantId, (counts.get(tenantId) ?? 0) + 1);
      let removed = false;
      return () => {
        if (removed) return;
        removed = true;
        eventTarget.removeEventListener(topic(tenantId), listener);
        counts.set(tenantId, (counts.get(tenantId) ?? 1) - 1);
      };
    },
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
