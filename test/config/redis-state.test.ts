import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/event.js';
import { type BusMessage, createEventBus } from '../../src/stream/bus.js';
import { services } from '../utils/services.js';
import { listenOn } from './spawn-server.js';

function event(tenantId: string, seq: number): StoredEvent {
  return {
    id: randomUUID(),
    seq,
    tenantId,
    webhookId: null,
    provider: 'PAYBOOK',
    type: 'refresh',
    providerEventType: 'refresh',
    resource: null,
    occurredAt: null,
    receivedAt: new Date(),
    test: false,
    payload: { seq },
  };
}

/** Resolves when `check` holds, re-checked on every `poke`; rejects after `timeoutMs`. */
function until(check: () => boolean, what: string, timeoutMs = 20_000) {
  let poke: () => void = () => {};
  const reached = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    poke = () => {
      if (!check()) return;
      clearTimeout(timer);
      resolve();
    };
  });
  return { reached, poke: () => poke() };
}

describe.skipIf(!services.redis)('Redis connection reports', () => {
  it('logs connected, lost and reconnected once each through an outage of many retries, and listeners hear again after it', async () => {
    const target = new URL(services.redis as string);
    // A proxy to the real Redis that can go down: while down it hangs up on every attempt (and counts them).
    let down = false;
    let attempts = 0;
    const open = new Set<Socket>();
    const changes: { poke(): void }[] = [];
    const pokeAll = () => {
      for (const c of changes) c.poke();
    };
    const { port } = await listenOn(0, (client) => {
      if (down) {
        attempts++;
        client.destroy();
        pokeAll();
        return;
      }
      const upstream = connect(Number(target.port || 6379), target.hostname);
      open.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });

    const lines: { level: number; msg: string; lost?: number }[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(JSON.parse(String(chunk)));
          pokeAll();
          done();
        },
      }),
    );
    const bus = createEventBus({ redisUrl: `redis://127.0.0.1:${port}`, prefix: `hgcfg-${randomBytes(4).toString('hex')}`, log });
    try {
      const tenantId = randomUUID();
      const heard: BusMessage[] = [];
      bus.listen(tenantId, (m) => {
        heard.push(m);
        pokeAll();
      });
      const wait = (check: () => boolean, what: string) => {
        const u = until(check, what);
        changes.push(u);
        u.poke();
        return u.reached;
      };
      const said = (start: string) => lines.some((l) => l.msg.startsWith(start));

      await wait(() => said('Redis connected'), 'connected');
      // The SUBSCRIBE is in flight once connected; publish until the listener hears one.
      const first = setInterval(() => bus.publish({ prevSeq: null, event: event(tenantId, 1) }), 50);
      await wait(() => heard.length > 0, 'the first message').finally(() => clearInterval(first));

      down = true;
      for (const s of open) s.destroy();
      await wait(() => said('REDIS_URL'), 'the outage');
      // Published while down: given up after ioredis' retries, counted rather than an unhandled rejection.
      bus.publish({ prevSeq: 1, event: event(tenantId, 2) });
      await wait(() => attempts >= 8, 'eight refused attempts');
      down = false;
      await wait(() => said('Redis reconnected'), 'reconnected');

      // The subscriber connection re-subscribes on its own schedule (a message published before that is not
      // heard: the event stream reads such gaps from the log), so publish until the listener hears one.
      const before = heard.length;
      const again = setInterval(() => bus.publish({ prevSeq: 2, event: event(tenantId, 3) }), 50);
      await wait(() => heard.length > before, 'a message after the outage').finally(() => clearInterval(again));
      expect(heard.at(-1)?.event.seq).toBe(3);

      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [30, `Redis connected at redis://127.0.0.1:${port}`],
        [
          50,
          `REDIS_URL redis://127.0.0.1:${port}: connection lost (connection closed); reconnecting; deliveries are still stored, but subscriptions get no live events until it is back`,
        ],
        [30, `Redis reconnected at redis://127.0.0.1:${port}; 1 message could not be published while it was down`],
      ]);
    } finally {
      await bus.close();
    }
    // Closing is not an outage.
    expect(lines).toHaveLength(3);
  }, 60_000);
});
