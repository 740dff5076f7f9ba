import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gql, wsClient } from '../utils/graphql.js';

const CONNECT = `mutation ($input: ConnectProviderInput!) {
  connectProvider(input: $input) { __typename }
}`;

/** Everything a client could see of an answer, and everything the gateway logged. */
type Seen = { response: string; logs: string };

describe('errors and logs leak nothing a client sent, and no stack trace', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
  });
  afterEach(() => {
    for (const undo of restore.splice(0)) undo();
  });

  /** Sends one operation over HTTP and returns its answer with the log lines it caused. */
  async function send(query: string, variables?: Record<string, unknown>) {
    const from = t.logs.length;
    const res = await gql(t.url, tenant.key, query, variables);
    return { res, seen: { response: JSON.stringify(res.body), logs: t.logs.slice(from).join('') } satisfies Seen };
  }

  /** The same over graphql-ws: the first `next` or `error` it gets. */
  async function sendWs(query: string, variables?: Record<string, unknown>): Promise<unknown> {
    const client = wsClient(t.url, tenant.key);
    try {
      return await new Promise((resolve) => {
        client.subscribe(
          { query, ...(variables && { variables }) },
          { next: (r) => resolve(r), error: (e) => resolve({ error: e }), complete: () => {} },
        );
      });
    } finally {
      await client.dispose();
    }
  }

  function expectAbsent(seen: Seen | string, ...secrets: string[]) {
    const text = typeof seen === 'string' ? seen : `${seen.response}\n${seen.logs}`;
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  it('does not echo credentials from a @oneOf violation in variables, and keeps the path and the reason', async () => {
    const { res, seen } = await send(CONNECT, {
      input: { provider: 'BOOQABLE', credentials: { booqable: { apiKey: 'SECRET-ONE' }, paybook: { apiKey: 'SECRET-TWO' } } },
    });
    expect(res.body.errors?.[0]?.message).toBe(
      'Variable "$input" got invalid value at "input.credentials"; Exactly one key must be specified for OneOf type "ProviderCredentialsInput".',
    );
    expectAbsent(seen, 'SECRET-ONE', 'SECRET-TWO');
    expectAbsent(
      JSON.stringify(
        await sendWs(CONNECT, {
          input: { provider: 'BOOQABLE', credentials: { booqable: { apiKey: 'SECRET-WS' }, paybook: { apiKey: 'SECRET-WS2' } } },
        }),
      ),
      'SECRET-WS',
    );
  });

  it('does not echo a credential of the wrong type in a variable', async () => {
    const { res, seen } = await send(CONNECT, {
      input: { provider: 'BOOQABLE', credentials: { booqable: { apiKey: { nested: 'SECRET-NESTED' } } } },
    });
    expect(res.body.errors?.[0]?.message).toBe(
      'Variable "$input" got invalid value at "input.credentials.booqable.apiKey"; String cannot represent a non string value.',
    );
    expectAbsent(seen, 'SECRET-NESTED');
  });

  it('does not echo inline literal credentials from a @oneOf violation or a type error in the document', async () => {
    const oneOf = `mutation { connectProvider(input: { provider: BOOQABLE, credentials: {
      booqable: { apiKey: "SECRET-INLINE-1" }, paybook: { apiKey: "SECRET-INLINE-2" } } }) { __typename } }`;
    const typed =
      'mutation { connectProvider(input: { provider: BOOQABLE, credentials: { booqable: { apiKey: SECRET_ENUMLIKE } } }) { __typename } }';
    const typedObject = `mutation { connectProvider(input: { provider: BOOQABLE, credentials: {
      booqable: { apiKey: { inner: "SECRET-OBJECT" } } } }) { __typename } }`;
    const syntax = 'mutation { connectProvider(input: { provider: BOOQABLE } "SECRET-SYNTAX") { __typename } }';
    for (const [query, secret, message] of [
      [oneOf, 'SECRET-INLINE', 'OneOf Input Object "ProviderCredentialsInput" must specify exactly one key.'],
      [typed, 'SECRET_ENUMLIKE', 'String cannot represent a non string value.'],
      [typedObject, 'SECRET-OBJECT', 'String cannot represent a non string value.'],
      [syntax, 'SECRET-SYNTAX', 'Syntax Error: Expected Name, found String.'],
    ] as const) {
      const { res, seen } = await send(query);
      expect(res.body.errors?.map((e) => e.message)).toContain(message);
      expectAbsent(seen, secret);
      expectAbsent(JSON.stringify(await sendWs(query)), secret);
    }
  });

  it('logs an unexpected resolver error with its message and stack, and shows the client only the masked message', async () => {
    const events = t.app.services.store.events;
    const list = events.list;
    restore.push(() => {
      events.list = list;
    });
    events.list = async () => {
      throw new Error('disk on fire at sector 7');
    };
    const { res, seen } = await send('query ($first: Int) { events(first: $first) { edges { cursor } } }', { first: 3 });
    expect(res.body.errors).toEqual([
      { message: 'Unexpected error.', locations: expect.any(Array), path: ['events'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expectAbsent(seen.response, 'disk on fire', 'sector 7', 'at async', '.ts:');
    const line = JSON.parse(seen.logs.split('\n').find((l) => l.includes('disk on fire')) ?? '{}') as {
      level?: number;
      msg?: string;
      err?: { message?: string; stack?: string; type?: string };
    };
    expect(line.level).toBe(50);
    expect(line.msg).toBe('disk on fire at sector 7');
    expect(line.err?.message).toBe('disk on fire at sector 7');
    expect(line.err?.stack).toMatch(/^Error: disk on fire at sector 7\n\s+at /);
    // The error, not the request: no document, no variables, no key.
    expectAbsent(seen.logs, '{"0":', 'edges { cursor }', '"first"', tenant.key);
  });

  it.each(['development', 'production', undefined])('masks with no message or stack when NODE_ENV is %s', async (env) => {
    const before = process.env['NODE_ENV'];
    restore.push(() => {
      process.env['NODE_ENV'] = before;
    });
    if (env === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = env;
    const events = t.app.services.store.events;
    const list = events.list;
    restore.push(() => {
      events.list = list;
    });
    events.list = async () => {
      throw new TypeError('internal detail 42');
    };
    const { res, seen } = await send('{ events { edges { cursor } } }');
    expect(res.body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expectAbsent(seen.response, 'internal detail', 'stack', 'originalError', 'TypeError');
  });

  it('answers an expected failure outside a result union as BAD_USER_INPUT with its message, not a 500', async () => {
    const { res } = await send('{ events(filter: { types: ["not a type!"] }) { edges { cursor } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'not a unified type or prefix: not a type!',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.types' },
    });
  });
});
