import { isAbstractType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { possibleTypes } from '../../src/client/index.js';
import { schema } from '../../src/schema/index.js';

describe('hookgraph/client possibleTypes', () => {
  it('lists every union and interface the server serves with exactly its object types (`npm run codegen` is current)', () => {
    const served = Object.fromEntries(
      Object.values(schema.getTypeMap())
        .filter(isAbstractType)
        .map(
          (type) =>
            [
              type.name,
              schema
                .getPossibleTypes(type)
                .map((member) => member.name)
                .sort(),
            ] as const,
        )
        .filter(([, members]) => members.length > 0)
        .sort(([a], [b]) => a.localeCompare(b)),
    );
    expect(possibleTypes).toEqual(served);
    // The members Apollo needs for `... on Error` in a mutation result union.
    expect(possibleTypes['Error']).toContain('ValidationError');
    expect(possibleTypes['CreateWebhookResult']).toContain('ValidationError');
  });
});
