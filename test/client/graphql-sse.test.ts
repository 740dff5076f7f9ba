import { createClient } from 'graphql-sse';
import { print } from 'graphql';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OnEventsSubscription, OnEventsDocument } from '../../src/client/index.js';
import { leftover } from '../utils/leftovers.js';
import { type ClientFixture, soon, startClientFixture } from './fixture.js';

describe('graphql-sse against hookgraph', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });
  // Tests wait for the tenant's subscriber count: start each once the previous test's subscriptions are gone.
  beforeEach(async () => {
    await expect.poll(f.listeners, soon).toBe(0);
  });

  it('streams live events in distinct connections mode (one SSE response per subscription)', async () => {
    const client = leftover(
      createClient({
        url: `${f.t.url}/graphql`,
        singleConnection: false,
        headers: { authorization: `Bearer ${f.tenant.key}` },
        retryAttempts: 0,
      }),
    );
    const events = client.iterate<OnEventsSubscription>({
      query: print(OnEventsDocument),
      variables: { filter: { webhookIds: [f.webhookId] } },
    });
    const first = events.next();
    await expect.poll(f.listeners, soon).toBeGreaterThanOrEqual(1);
    await f.trigger();
    const { value } = await first;
    expect(value?.errors).toBeUndefined();
    expect(value?.data?.events).toMatchObject({ type: 'contact.created', test: false });
    await events.return?.();
    await expect.poll(f.listeners, soon).toBe(0);
  });
});
