import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/stream/bus.js';
import { createStore, type Store } from '../../src/store/store.js';
import { openEventStream } from '../../src/stream/event-stream.js';
import { SlowSubscriberError, watchSlowSubscriber } from '../../src/stream/slow-subscribers.js';
import { createTestDatabase, storeBackends, type TestDatabase } from '../utils/databases.js';
import { newEvent } from '../utils/events.js';

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

  it('lets the event loop run between replay pages, so a long replay holds nobody up', async () => {
    const tenant = randomUUID();
    await store.events.append(Array.from({ length: 1_200 }, () => newEvent(tenant)));
    const bus = createEventBus({ redisUrl: null });
    const stream = openEventStream({ bus, events: store.events, tenantId: tenant, filter: null, afterSeq: 0 });
    // Macrotasks (I/O callbacks, timers: an acknowledgment waiting to be written) seen at each event.
    let turns = 0;
    const tick = () => {
      turns++;
      timer = setImmediate(tick);
    };
    let timer = setImmediate(tick);
    const turnsAt: number[] = [];
    for (let i = 0; i < 1_200; i++) {
      const r = await stream.next();
      expect(r.done).toBe(false);
      turnsAt.push(turns);
    }
    clearImmediate(timer);
    await stream.return?.();
    // Pages of 500: the loop turned before events 501 and 1,001 were read.
    expect(turnsAt[500] as number).toBeGreaterThan(turnsAt[0] as number);
    expect(turnsAt[1_000] as number).toBeGreaterThan(turnsAt[500] as number);
  });

  it('drops a reader that falls more than its buffer behind, frees its buffer and says so', async () => {
    const tenant = randomUUID();
    const bus = createEventBus({ redisUrl: null });
    const subscriber = {};
    const reported: SlowSubscriberError[] = [];
    watchSlowSubscriber(subscriber, (e) => reported.push(e));
    const stream = openEventStream({
      bus,
      events: store.events,
      tenantId: tenant,
      filter: null,
      afterSeq: null,
      bufferEvents: 5,
      subscriber,
    });
    const first = stream.next();
    await expect.poll(() => bus.listeners(tenant)).toBe(1);
    const appended = await store.events.append(Array.from({ length: 7 }, () => newEvent(tenant)));
    // The publishing loop never waits: all seven go out at once, and the reader pulls none after the first.
    for (const m of appended) if (m) bus.publish(m);
    expect((await first).value?.seq).toBe(appended[0]?.event.seq);
    expect(bus.listeners(tenant)).toBe(0);
    await expect.poll(() => reported.length).toBe(1);
    expect(reported[0]).toBeInstanceOf(SlowSubscriberError);
    await expect(stream.next()).rejects.toThrow('subscriber fell more than 5 events behind');
  });
});
