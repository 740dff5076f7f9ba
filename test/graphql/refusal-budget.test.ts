import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { wsClient } from '../utils/graphql.js';

const ALIAS_BOMB = `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: providers { eventTypes { name } }`).join(' ')} }`;

async function post(url: string, key: string | null, query: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }>; data?: unknown } };
}

describe('a client that keeps sending refused operations', () => {
  let t: TestApp;
  let attacker: TestTenant;
  let bystander: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    attacker = await t.tenant();
    bystander = await t.tenant();
  });

  it('gets 429 once its burst of refusals is spent, while another tenant is served as usual', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await post(t.url, attacker.key, ALIAS_BOMB)).status);
    // The first refusals are the limit's own 400s; past the burst the gateway stops reading them.
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    const throttled = await post(t.url, attacker.key, '{ providers { key } }');
    expect(throttled.status).toBe(429);
    expect(throttled.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REFUSALS');

    const other = await post(t.url, bystander.key, '{ providers { key } }');
    expect(other.status).toBe(200);
    expect(other.body.data).toBeTruthy();
  });

  it('counts requests with a key that is not valid too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await post(t.url, 'hg_not_a_key', '{ providers { key } }')).status);
    expect(statuses[0]).toBe(401);
    expect(statuses.at(-1)).toBe(429);
  });

  it('turns away the next socket of a client that flooded subscribe messages, while another tenant subscribes', async () => {
    const flooder = await t.tenant();
    const closes: number[] = [];
    const connect = () =>
      wsClient(t.url, flooder.key, {
        on: {
          closed: (e) => {
            closes.push((e as CloseEvent).code);
          },
        },
      });
    const first = connect();
    for (let i = 0; i < 2_000; i++)
      first.subscribe({ query: `subscription F${i} { events { id } }` }, { next: () => {}, error: () => {}, complete: () => {} });
    await expect.poll(() => closes).toEqual([4291]);
    await first.dispose();

    const second = connect();
    second.subscribe({ query: 'subscription { events { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    // Held for a second first (the tarpit), then closed.
    await expect.poll(() => closes, { timeout: 5_000 }).toEqual([4291, 4429]);
    await second.dispose();

    const other = wsClient(t.url, bystander.key);
    const acked = new Promise<void>((resolve) => other.on('connected', () => resolve()));
    other.subscribe({ query: 'subscription { events { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    await acked;
    await other.dispose();
  });
});
