import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/event.js';
import { type BusMessage, createEventBus, type EventBus } from '../../src/stream/bus.js';
import type { AppendedEvent } from '../../src/domain/event.js';
import { createStore, type Store } from '../../src/store/store.js';
import { openEventStream } from '../../src/stream/event-stream.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';

/** A bus that lets the test decide when (and in which order) published messages arrive. */
function createHeldBus(): EventBus & { release(order?: number[]): void; held: BusMessage[] } {
  const inner = createEventBus({ redisUrl: null });
  const held: BusMessage[] = [];
  return {
    ...inner,
    held,
    publish: (m) => void held.push(m),
    release(order) {
      const msgs = order ? order.map((i) => held[i] as BusMessage) : held.slice();
      held.length = 0;
      for (const m of msgs) inner.publish(m);
    },
  };
}

async function take(it: AsyncIterator<StoredEvent>, n: number, timeoutMs = 3000): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  const deadline = setTimeout(() => void it.return?.(), timeoutMs);
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  clearTimeout(deadline);
  return out;
}

describe.each(storeBackends)('event stream on %s', (backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    store = await createStore({ databaseUrl: db.url, secretKey: randomBytes(32) });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const append = async (tenantId: string, type = 'invoice.created') =>
    (await store.events.append([newEvent(tenantId, { type })]))[0] as AppendedEvent;

  it('replays after a cursor, then goes live with no gap and no duplicate at the switch-over', async () => {
    const tenant = randomUUID();
    const bus = createHeldBus();
    const a = await append(tenant);
    const b = await append(tenant);
    bus.publish(a);
    bus.publish(b);
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant, filter: null, afterSeq: a.event.seq });
    const first = stream.next();
    // b was committed before the subscription and its message is still in flight: both paths see it.
    bus.release();
    const c = await append(tenant);
    bus.publish(c);
    bus.release();
    const got = [(await first).value as StoredEvent, ...(await take(stream, 1))];
    expect(got.map((e) => e.seq)).toEqual([b.event.seq, c.event.seq]);
    await stream.return?.();
  });

  it('reads a gap from the log when messages arrive out of order (another replica published late)', async () => {
    const tenant = randomUUID();
    const bus = createHeldBus();
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant, filter: null, afterSeq: null });
    const pending = take(stream, 3);
    await new Promise((r) => setTimeout(r, 50));
    const e1 = await append(tenant);
    const e2 = await append(tenant);
    const e3 = await append(tenant);
    for (const e of [e1, e2, e3]) bus.publish(e);
    bus.release([2, 0, 1]);
    expect((await pending).map((e) => e.seq)).toEqual([e1.event.seq, e2.event.seq, e3.event.seq]);
    await stream.return?.();
  });

  it('filters by type prefix on both the replay and the live path', async () => {
    const tenant = randomUUID();
    const bus = createHeldBus();
    await append(tenant, 'contact.created');
    const inv = await append(tenant, 'invoice.created');
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant, filter: { types: ['invoice.*'] }, afterSeq: 0 });
    const p = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    const c2 = await append(tenant, 'contact.updated');
    const inv2 = await append(tenant, 'invoice.paid');
    bus.publish(c2);
    bus.publish(inv2);
    bus.release();
    expect((await p).map((e) => e.seq)).toEqual([inv.event.seq, inv2.event.seq]);
    await stream.return?.();
  });

  it('stops listening when the subscriber goes away, even while waiting', async () => {
    const tenant = randomUUID();
    const bus = createEventBus({ redisUrl: null });
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant, filter: null, afterSeq: null });
    const waiting = stream.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(bus.listeners(tenant)).toBe(1);
    await stream.return?.();
    expect((await waiting).done).toBe(true);
    expect(bus.listeners(tenant)).toBe(0);
  });
});
