import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { type Collector, gql, subscribeSse, subscribeWs, wsClient } from '../utils/graphql.js';

/*
 * A key or token narrowed by an event filter (README "Access", notes/access-contract.md) never reads an event outside
 * it: not through events(), event(id:), node(id:), nodes(ids:), nor Subscription.events over graphql-ws or SSE, live
 * or replaying, whatever filter the client itself asks for (the two are intersected), and a token minted from it with
 * a wider filter holds only the intersection. The events are real deliveries of the sandbox vendors to three webhooks:
 *   A: SuperOffice contact.created   B: SuperOffice activity.created   C: Booqable customer.created
 * Absence is shown with the marker pattern: the outside event is delivered first, then an inside one that must arrive;
 * whatever arrived before the marker would be the leak. An unfiltered subscriber of the same operation, opened first,
 * receives the outside event: it was delivered, and the filtered one did not share its stream.
 */

type Provider = 'SUPEROFFICE' | 'BOOQABLE';
type Hook = 'A' | 'B' | 'C';

interface Ev {
  id: string;
  cursor?: string;
  type: string;
  provider: { key: Provider };
  webhook: { id: string } | null;
}

const TRIGGERS: Record<Hook, readonly [Provider, string]> = {
  A: ['SUPEROFFICE', 'contact.created'],
  B: ['SUPEROFFICE', 'activity.created'],
  C: ['BOOQABLE', 'customer.created'],
};

const EVENT_FIELDS = 'id type provider { key } webhook { id }';
const EVENTS = `query ($filter: EventFilter) { events(first: 500, filter: $filter) { edges { cursor node { ${EVENT_FIELDS} } } } }`;
const SUBSCRIPTION = `subscription ($filter: EventFilter, $after: String) { events(filter: $filter, after: $after) { ${EVENT_FIELDS} } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) {
  __typename ... on CreateApiKeySuccess { data { key } } ... on Error { message } } }`;
const CREATE_TOKEN = `mutation ($input: CreateAccessTokenInput!) { createAccessToken(input: $input) {
  __typename ... on CreateAccessTokenSuccess { data { token } } ... on Error { message } } }`;
const VIEWER = 'query { viewer { kind filter { providers types webhookIds } } }';

type Filter = { providers?: Provider[]; types?: string[]; webhookIds?: string[] };

interface Case {
  name: string;
  /** The filter the key holds. */
  held: (ids: Record<Hook, string>) => Filter;
  /** viewer.filter of the key (and of a token minted from it with a wider filter). */
  shown: (ids: Record<Hook, string>) => { providers: Provider[] | null; types: string[] | null; webhookIds: string[] | null };
  matches: (e: Ev, ids: Record<Hook, string>) => boolean;
  /** A webhook whose deliveries the filter refuses, and one whose deliveries it lets through. */
  outside: Hook;
  inside: Hook;
  /** A client filter naming only what the held filter refuses (the intersection matches nothing). */
  asksOutside: (ids: Record<Hook, string>) => Filter;
  /** A client filter wider than the held one (the intersection is the held filter). */
  asksWider: (ids: Record<Hook, string>) => Filter;
}

const CASES: Case[] = [
  {
    name: 'webhookIds: [A]',
    held: (ids) => ({ webhookIds: [ids.A] }),
    shown: (ids) => ({ providers: null, types: null, webhookIds: [ids.A] }),
    matches: (e, ids) => e.webhook?.id === ids.A,
    outside: 'B',
    inside: 'A',
    asksOutside: (ids) => ({ webhookIds: [ids.B, ids.C] }),
    asksWider: (ids) => ({ webhookIds: [ids.A, ids.B, ids.C] }),
  },
  {
    name: 'providers: [SUPEROFFICE]',
    held: () => ({ providers: ['SUPEROFFICE'] }),
    shown: () => ({ providers: ['SUPEROFFICE'], types: null, webhookIds: null }),
    matches: (e) => e.provider.key === 'SUPEROFFICE',
    outside: 'C',
    inside: 'A',
    asksOutside: () => ({ providers: ['BOOQABLE'] }),
    asksWider: () => ({ providers: ['SUPEROFFICE', 'BOOQABLE'] }),
  },
  {
    name: "types: ['contact.*']",
    held: () => ({ types: ['contact.*'] }),
    shown: () => ({ providers: null, types: ['contact.*'], webhookIds: null }),
    matches: (e) => e.type.startsWith('contact.'),
    outside: 'B',
    inside: 'A',
    asksOutside: () => ({ types: ['activity.*', 'customer.created'] }),
    asksWider: () => ({ types: ['*'] }),
  },
];

describe('a filtered key or token never reads events outside its filter', () => {
  let t: TestApp;
  let acme: TestTenant;
  const ids = {} as Record<Hook, string>;

  /** One sandbox delivery to webhook `hook`, stored by the time the mutation answers. */
  async function trigger(hook: Hook): Promise<void> {
    const [provider, eventType] = TRIGGERS[hook];
    const res = await gql<{ triggerSandboxEvent: { data?: Array<{ webhookId: string; status: number }> } }>(
      t.url,
      acme.key,
      `mutation ($provider: ProviderKey!, $eventType: String!) { triggerSandboxEvent(provider: $provider, eventType: $eventType) {
        __typename ... on TriggerSandboxEventSuccess { data { webhookId status } } ... on Error { message } } }`,
      { provider, eventType },
    );
    expect(res.body.data?.triggerSandboxEvent.data, JSON.stringify(res.body)).toEqual([{ webhookId: ids[hook], status: 200 }]);
  }

  /** Every event of the tenant, as the ADMIN key reads them, oldest first. */
  async function allEvents(): Promise<Ev[]> {
    return (await readEvents(acme.key)).events;
  }

  async function readEvents(secret: string, filter?: Filter): Promise<{ events: Ev[]; errors: unknown }> {
    const res = await gql<{ events: { edges: Array<{ cursor: string; node: Ev }> } }>(t.url, secret, EVENTS, { filter });
    return { events: (res.body.data?.events.edges ?? []).map((e) => ({ ...e.node, cursor: e.cursor })), errors: res.body.errors };
  }

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.tenant('acme');
    await t.connectSandbox(acme, 'SUPEROFFICE');
    await t.connectSandbox(acme, 'BOOQABLE');
    for (const hook of ['A', 'B', 'C'] as const) {
      const [provider, event] = TRIGGERS[hook];
      const res = await gql<{ createWebhook: { data?: { id: string } } }>(
        t.url,
        acme.key,
        `mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) {
          __typename ... on CreateWebhookSuccess { data { id } } ... on Error { message } } }`,
        { input: { provider, events: [event], name: `webhook ${hook}` } },
      );
      const id = res.body.data?.createWebhook.data?.id;
      if (!id) throw new Error(`createWebhook ${hook} failed: ${JSON.stringify(res.body)}`);
      ids[hook] = id;
    }
    for (const hook of ['A', 'B', 'C', 'A', 'B', 'C'] as const) await trigger(hook);
  });

  /** A key of acme (READ and SUBSCRIBE) holding `filter`, made with acme's ADMIN key through createApiKey. */
  async function filteredKey(filter: Filter): Promise<string> {
    const res = await gql<{ createApiKey: { data?: { key: string } } }>(t.url, acme.key, CREATE_KEY, {
      input: { name: 'filtered', scopes: ['READ', 'SUBSCRIBE'], filter },
    });
    const key = res.body.data?.createApiKey.data?.key;
    if (!key) throw new Error(`createApiKey failed: ${JSON.stringify(res.body)}`);
    return key;
  }

  async function mintToken(holder: string, filter: Filter | null): Promise<string> {
    const res = await gql<{ createAccessToken: { data?: { token: string } } }>(t.url, holder, CREATE_TOKEN, {
      input: { scopes: ['READ', 'SUBSCRIBE'], filter, ttlSeconds: 3_600 },
    });
    const token = res.body.data?.createAccessToken.data?.token;
    if (!token) throw new Error(`createAccessToken failed: ${JSON.stringify(res.body)}`);
    return token;
  }

  const listeners = () => t.app.services.bus.listeners(acme.id);

  /**
   * Waits until every subscription is live: deliveries to the inside webhook `hook` until each has received one.
   * (Counting bus listeners would not do: subscribers of one audience and operation share one.)
   */
  async function warmUp(subs: Array<Collector<{ events: Ev }>>, hook: Hook): Promise<void> {
    await expect
      .poll(
        async () => {
          if (subs.every((s) => s.items.length > 0)) return true;
          await trigger(hook);
          return false;
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
  }

  for (const c of CASES) {
    describe(`a key holding { ${c.name} }, and a token minted from it with a wider filter`, () => {
      /** The key, and a token of it that asked for more than the key holds. */
      const holders: Array<{ label: string; secret: string }> = [];

      beforeAll(async () => {
        const key = await filteredKey(c.held(ids));
        holders.push({ label: 'key', secret: key }, { label: 'token asking wider', secret: await mintToken(key, c.asksWider(ids)) });
        holders.push({ label: 'token asking nothing', secret: await mintToken(key, null) });
      });

      it('shows the held filter in viewer.filter, webhooks as their global ids', async () => {
        for (const h of holders) {
          const res = await gql(t.url, h.secret, VIEWER);
          expect(res.body, h.label).toEqual({
            data: { viewer: { kind: h.label === 'key' ? 'API_KEY' : 'ACCESS_TOKEN', filter: c.shown(ids) } },
          });
        }
      });

      it('lists in events() exactly the events the filter matches, also when the client asks for more', async () => {
        const all = await allEvents();
        const expected = all.filter((e) => c.matches(e, ids)).map((e) => e.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(all.some((e) => !c.matches(e, ids))).toBe(true);
        for (const h of holders) {
          for (const filter of [undefined, c.asksWider(ids)]) {
            const read = await readEvents(h.secret, filter);
            expect(read.errors).toBeUndefined();
            expect(
              read.events.map((e) => e.id),
              `${h.label} asking ${JSON.stringify(filter)}`,
            ).toEqual(expected);
          }
          // Backwards, and from an outside event's cursor: the same events, never the outside ones.
          const backwards = await gql<{ events: { edges: Array<{ node: Ev }> } }>(
            t.url,
            h.secret,
            `query { events(last: 500) { edges { node { ${EVENT_FIELDS} } } } }`,
          );
          expect(backwards.body.data?.events.edges.map((e) => e.node.id)).toEqual(expected);
          const outside = all.find((e) => !c.matches(e, ids)) as Ev;
          const after = await gql<{ events: { edges: Array<{ node: Ev }> } }>(
            t.url,
            h.secret,
            `query ($after: String) { events(first: 500, after: $after) { edges { node { ${EVENT_FIELDS} } } } }`,
            { after: outside.cursor },
          );
          expect(after.body.data?.events.edges.map((e) => e.node.id)).toEqual(
            all
              .slice(all.indexOf(outside) + 1)
              .filter((e) => c.matches(e, ids))
              .map((e) => e.id),
          );
        }
      });

      it('lists nothing when the client asks only for what the filter refuses (the intersection is empty)', async () => {
        // The ADMIN key reads events for that client filter: there is something to hide.
        expect((await readEvents(acme.key, c.asksOutside(ids))).events.length).toBeGreaterThan(0);
        for (const h of holders) {
          const read = await readEvents(h.secret, c.asksOutside(ids));
          expect(read.errors).toBeUndefined();
          expect(read.events, h.label).toEqual([]);
        }
      });

      it('answers null for an outside event in event(id:), node(id:) and nodes(ids:), and serves an inside one', async () => {
        const all = await allEvents();
        const inside = all.find((e) => c.matches(e, ids)) as Ev;
        const outside = all.filter((e) => !c.matches(e, ids));
        expect(outside.length).toBeGreaterThan(0);
        for (const h of holders) {
          for (const e of outside) {
            const one = await gql(t.url, h.secret, 'query ($id: ID!) { event(id: $id) { id type } node(id: $id) { id } }', { id: e.id });
            expect(one.body, h.label).toEqual({ data: { event: null, node: null } });
          }
          const many = await gql(t.url, h.secret, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Event { type } } }', {
            ids: [inside.id, ...outside.map((e) => e.id)],
          });
          expect(many.body, h.label).toEqual({ data: { nodes: [{ id: inside.id, type: inside.type }, ...outside.map(() => null)] } });
          const one = await gql(t.url, h.secret, 'query ($id: ID!) { event(id: $id) { id } node(id: $id) { id } }', { id: inside.id });
          expect(one.body).toEqual({ data: { event: { id: inside.id }, node: { id: inside.id } } });
        }
      });

      for (const transport of ['graphql-ws', 'SSE'] as const) {
        const openNamed = (secret: string, name: string, variables: Record<string, unknown>): Collector<{ events: Ev }> => {
          const doc = name === '' ? SUBSCRIPTION : SUBSCRIPTION.replace('subscription (', `subscription ${name}(`);
          return transport === 'graphql-ws'
            ? subscribeWs<{ events: Ev }>(wsClient(t.url, secret), doc, variables)
            : subscribeSse<{ events: Ev }>(t.url, secret, doc, variables);
        };
        const open = (secret: string, variables: Record<string, unknown>) => openNamed(secret, '', variables);

        it(`streams over ${transport} only inside events, live, with no client filter or a wider one`, async () => {
          // Opened first, with the same operation: it must get the outside event, and share nothing with the others.
          const unfiltered = open(acme.key, {});
          const subs = holders.flatMap((h) => [
            { label: `${h.label}, no client filter`, sub: open(h.secret, {}) },
            { label: `${h.label}, client filter wider`, sub: open(h.secret, { filter: c.asksWider(ids) }) },
          ]);
          await warmUp([unfiltered, ...subs.map((s) => s.sub)], c.inside);
          const known = new Set((await allEvents()).map((e) => e.id));
          await trigger(c.outside);
          await trigger(c.inside);
          const isMarker = (d: { events: Ev }) => !known.has(d.events.id) && c.matches(d.events, ids);
          const fresh = (items: Array<{ events: Ev }>) => items.filter((d) => !known.has(d.events.id));
          const seen = fresh(await unfiltered.before(isMarker));
          expect(seen.map((d) => d.events.webhook?.id)).toEqual([ids[c.outside]]);
          for (const { label, sub } of subs) {
            expect(fresh(await sub.before(isMarker)), label).toEqual([]);
            expect(
              sub.items.every((d) => c.matches(d.events, ids)),
              label,
            ).toBe(true);
            expect(sub.errors, label).toEqual([]);
          }
        });

        it(`replays over ${transport} with \`after\` only inside events, then goes on live with inside events only`, async () => {
          const all = await allEvents();
          const from = all[0] as Ev;
          const expected = all.slice(1).filter((e) => c.matches(e, ids));
          expect(expected.length).toBeGreaterThan(0);
          expect(all.slice(1).some((e) => !c.matches(e, ids))).toBe(true);
          const known = new Set(all.map((e) => e.id));
          await expect.poll(listeners).toBe(0);
          const subs = holders.flatMap((h) => [
            { label: `${h.label}, no client filter`, sub: open(h.secret, { after: from.cursor }) },
            { label: `${h.label}, client filter wider`, sub: open(h.secret, { after: from.cursor, filter: c.asksWider(ids) }) },
          ]);
          // The whole replay arrives before the live part starts: then the marker is sure to be sent after it.
          for (const { label, sub } of subs)
            expect(
              (await sub.waitFor(expected.length)).map((d) => d.events.id),
              label,
            ).toEqual(expected.map((e) => e.id));
          await expect.poll(listeners).toBe(subs.length);
          await trigger(c.outside);
          await trigger(c.inside);
          const isMarker = (d: { events: Ev }) => !known.has(d.events.id) && c.matches(d.events, ids);
          for (const { label, sub } of subs) {
            const before = await sub.before(isMarker);
            expect(
              before.map((d) => d.events.id),
              label,
            ).toEqual(expected.map((e) => e.id));
            expect(sub.errors, label).toEqual([]);
          }
        });

        it(`streams nothing over ${transport} when the client asks only for what the filter refuses, live or replaying`, async () => {
          const all = await allEvents();
          await expect.poll(listeners).toBe(0);
          // A name of its own per subscription, so none shares another's stream (use-shared-subscriptions.ts) and each
          // is seen to be listening (one bus listener each) before anything is delivered.
          let n = 0;
          const named = (variables: Record<string, unknown>, secret: string) => {
            n += 1;
            return openNamed(secret, `Empty${n}`, variables);
          };
          const empty = holders.flatMap((h) => [
            named({ filter: c.asksOutside(ids) }, h.secret),
            named({ filter: c.asksOutside(ids), after: (all[0] as Ev).cursor }, h.secret),
          ]);
          const marker = named({}, (holders[0] as { secret: string }).secret);
          await expect.poll(listeners).toBe(empty.length + 1);
          await trigger(c.outside);
          await trigger(c.inside);
          const isInside = (d: { events: Ev }) => c.matches(d.events, ids);
          expect(await marker.before(isInside)).toEqual([]);
          for (const sub of empty) {
            expect(sub.items).toEqual([]);
            expect(sub.errors).toEqual([]);
          }
        });
      }
    });
  }

  it('holds a token minted from a filtered key to the intersection: a disjoint filter sees nothing, over every read', async () => {
    const key = await filteredKey({ webhookIds: [ids.A] });
    // A is a SuperOffice webhook: { webhookIds: [A] } ∩ { providers: [BOOQABLE] } matches nothing.
    const token = await mintToken(key, { providers: ['BOOQABLE'] });
    expect((await gql(t.url, token, VIEWER)).body).toEqual({
      data: { viewer: { kind: 'ACCESS_TOKEN', filter: { providers: ['BOOQABLE'], types: null, webhookIds: [ids.A] } } },
    });
    const all = await allEvents();
    expect((await readEvents(token)).events).toEqual([]);
    for (const e of all) {
      expect((await gql(t.url, token, 'query ($id: ID!) { event(id: $id) { id } node(id: $id) { id } }', { id: e.id })).body).toEqual({
        data: { event: null, node: null },
      });
    }
    await expect.poll(listeners).toBe(0);
    const sub = subscribeWs<{ events: Ev }>(wsClient(t.url, token), SUBSCRIPTION, { after: (all[0] as Ev).cursor });
    const sse = subscribeSse<{ events: Ev }>(t.url, token, SUBSCRIPTION, {});
    const marker = subscribeWs<{ events: Ev }>(wsClient(t.url, key), SUBSCRIPTION, {});
    await expect.poll(listeners).toBe(3);
    await trigger('C');
    await trigger('A');
    expect(await marker.before((d) => d.events.webhook?.id === ids.A)).toEqual([]);
    expect(sub.items).toEqual([]);
    expect(sse.items).toEqual([]);
  });

  it('refuses a key whose filter names something that is not a webhook id (ValidationError) rather than create a wider one', async () => {
    const res = await gql<{ createApiKey: { __typename: string } }>(t.url, acme.key, CREATE_KEY, {
      input: { name: 'bad', scopes: ['READ'], filter: { webhookIds: ['garbage'] } },
    });
    expect(res.body.data?.createApiKey).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringContaining('filter.webhookIds'),
    });
    const keys = await gql<{ apiKeys: Array<{ name: string }> }>(t.url, acme.key, 'query { apiKeys { name } }');
    expect(keys.body.data?.apiKeys.map((k) => k.name)).not.toContain('bad');
  });
});
