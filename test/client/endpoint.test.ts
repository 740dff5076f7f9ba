import { describe, expect, it } from 'vitest';
import { graphqlEndpoint } from '../../src/client/index.js';

describe('hookgraph/client graphqlEndpoint', () => {
  it('takes the base URL or the /graphql endpoint, over http or https, and derives ws or wss', () => {
    for (const url of ['https://hooks.example.com', 'https://hooks.example.com/', 'https://hooks.example.com/graphql'])
      expect(graphqlEndpoint(url)).toEqual({ http: 'https://hooks.example.com/graphql', ws: 'wss://hooks.example.com/graphql' });
    expect(graphqlEndpoint('http://127.0.0.1:4000/hookgraph')).toEqual({
      http: 'http://127.0.0.1:4000/hookgraph/graphql',
      ws: 'ws://127.0.0.1:4000/hookgraph/graphql',
    });
  });

  it('refuses a URL that is not http(s), and a path outside a page', () => {
    expect(() => graphqlEndpoint('ftp://hooks.example.com')).toThrow(/http\(s\)/);
    expect(() => graphqlEndpoint('/graphql')).toThrow(TypeError);
  });
});
