import { describe, expect, it } from 'vitest';
import { ACCESS_SCOPES, parseScopes } from '../../src/domain/access.js';
import { ValidationError } from '../../src/domain/errors.js';

describe('parseScopes', () => {
  it('reads a comma list in any case, each scope once, in ACCESS_SCOPES order', () => {
    expect(parseScopes('read,subscribe')).toEqual(['READ', 'SUBSCRIBE']);
    expect(parseScopes(' Subscribe , READ,read ')).toEqual(['READ', 'SUBSCRIBE']);
    expect(parseScopes('admin')).toEqual(['ADMIN']);
    expect(parseScopes(ACCESS_SCOPES.join(','))).toEqual(['ADMIN', 'READ', 'SUBSCRIBE']);
  });

  it('refuses an empty list, an empty entry and an unknown name, naming the scopes there are', () => {
    for (const [text, message] of [
      ['', 'empty scope in ""; expected a comma list of admin, read, subscribe'],
      ['read,', 'empty scope in "read,"; expected a comma list of admin, read, subscribe'],
      ['read,writer', 'unknown scope "writer"; expected a comma list of admin, read, subscribe'],
      ['__proto__', 'unknown scope "__proto__"; expected a comma list of admin, read, subscribe'],
    ] as const) {
      expect(() => parseScopes(text)).toThrow(new ValidationError(message, 'scopes'));
    }
    // A hostile name is not echoed whole.
    expect(() => parseScopes('x'.repeat(10_000))).toThrow(/^unknown scope "x{40}"/);
  });
});
