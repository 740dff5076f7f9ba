import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
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
export function createEventBus({ redisUrl, prefix = 'hookgraph' }: { redisUrl: string | null; prefix?: string }): EventBus {
  let eventTarget: EventTarget;
  let clients: Redis[] = [];
  if (redisUrl) {
    const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    clients = [publishClient, subscribeClient];
    eventTarget = createRedisEventTarget({ publishClient, subscribeClient }) as unknown as EventTarget;
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
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
