import { type ExecutionResult, parse } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useSharedSubscriptions } from '../../src/stream/use-shared-subscriptions.js';

/**
 * A gateway in process whose `ticks` subscription is a source the test drives: it yields 1 once
 * `release` is called, then waits for `end` (a failure, or undefined to complete).
 */
function sharedTicks() {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let end: (error?: Error) => void = () => {};
  const ended = new Promise<void>((resolve, reject) => {
    end = (error) => (error ? reject(error) : resolve());
  });
  let sources = 0;
  async function* ticks() {
    await released;
    yield 1;
    await ended;
  }
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean } type Subscription { ticks: Int! }',
      resolvers: {
        Subscription: {
          ticks: {
            subscribe: () => {
              sources++;
              return ticks();
            },
            resolve: (n: number) => n,
          },
        },
      },
    }),
    plugins: [useSharedSubscriptions({ bufferEvents: 10 })],
    // The source's own error, to tell it from anything else that might fail (the gateway masks it).
    maskedErrors: false,
  });
  const document = parse('subscription { ticks }');
  /** One subscriber of the tenant, as graphql-ws and SSE start one; `viewer` is the access it holds. */
  async function subscribe(
    viewer: { scopes: string[]; filter: unknown } = { scopes: ['ADMIN'], filter: null },
  ): Promise<AsyncIterator<ExecutionResult>> {
    const { subscribe, contextFactory, schema } = yoga.getEnveloped({ tenant: { id: 'tenant-1' }, viewer });
    const result = await subscribe({ schema, document, contextValue: await contextFactory() });
    return (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
  }
  return { subscribe, release, end, sources: () => sources };
}

describe('subscribers sharing one source', () => {
  it('share only with subscribers holding the same access: scopes and event filter decide what a result shows', async () => {
    const gateway = sharedTicks();
    await gateway.subscribe();
    await gateway.subscribe({ scopes: ['ADMIN'], filter: null });
    expect(gateway.sources()).toBe(1);
    await gateway.subscribe({ scopes: ['SUBSCRIBE'], filter: null });
    await gateway.subscribe({ scopes: ['ADMIN'], filter: { providers: ['SUPEROFFICE'] } });
    expect(gateway.sources()).toBe(3);
  });

  it('each receive the source failing as an error, not as a completion', async () => {
    const gateway = sharedTicks();
    const subscribers = [await gateway.subscribe(), await gateway.subscribe()];
    expect(gateway.sources()).toBe(1);
    const first = subscribers.map((s) => s.next());
    gateway.release();
    for (const r of await Promise.all(first)) expect(r).toEqual({ done: false, value: { data: { ticks: 1 } } });
    gateway.end(new Error('the store went away'));
    for (const s of subscribers) await expect(s.next()).rejects.toThrow('the store went away');
  });

  it('each complete when the source completes', async () => {
    const gateway = sharedTicks();
    const subscribers = [await gateway.subscribe(), await gateway.subscribe()];
    const first = subscribers.map((s) => s.next());
    gateway.release();
    await Promise.all(first);
    gateway.end();
    for (const s of subscribers) expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  it('let the source go when the only subscriber leaves before it ever pulled', async () => {
    const gateway = sharedTicks();
    const dropped = await gateway.subscribe();
    await dropped.return?.();
    // A hub waits one turn of the event loop for the subscribers it handed out to pull.
    await new Promise((resolve) => setImmediate(resolve));
    const next = await gateway.subscribe();
    expect(gateway.sources()).toBe(2);
    await next.return?.();
  });
});
