import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CreateWebhookDocument, possibleTypes } from '../../src/client/index.js';
import { type ClientFixture, startClientFixture } from './fixture.js';

describe('Apollo Client against hookgraph', () => {
  let f: ClientFixture;
  beforeAll(async () => {
    f = await startClientFixture();
  });

  const apollo = (cache: InMemoryCache) =>
    new ApolloClient({ link: new HttpLink({ uri: `${f.t.url}/graphql`, headers: { authorization: `Bearer ${f.tenant.key}` } }), cache });
  /** A createWebhook the gateway answers with a ValidationError: an event name outside SuperOffice's catalogue. */
  const refusedCreate = (client: ApolloClient) =>
    client.mutate({ mutation: CreateWebhookDocument, variables: { input: { provider: 'SUPEROFFICE', events: ['no.such.event'] } } });

  it("keeps the message of a ValidationError in createWebhook's union with InMemoryCache({ possibleTypes })", async () => {
    const { data } = await refusedCreate(apollo(new InMemoryCache({ possibleTypes })));
    expect(data?.createWebhook).toEqual({
      __typename: 'ValidationError',
      message: "not in SuperOffice's event catalogue: no.such.event",
      field: 'events',
    });
  });

  it('drops `... on Error { message }` without possibleTypes: Apollo cannot tell a ValidationError is an Error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { data } = await refusedCreate(apollo(new InMemoryCache()));
      expect(data?.createWebhook).toEqual({ __typename: 'ValidationError', field: 'events' });
      // Apollo says why: "Cannot match inline fragment on `Error` against `ValidationError` … missing `possibleTypes`".
      const why = warn.mock.calls.map((call) => call.map(String));
      expect(why.some((args) => /possibleTypes/.test(args[0] ?? '') && args.includes('Error') && args.includes('ValidationError'))).toBe(
        true,
      );
    } finally {
      warn.mockRestore();
    }
  });
});
