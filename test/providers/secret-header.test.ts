import { describe, expect, it } from 'vitest';
import { SECRET_HEADER, verifySecretHeader } from '../../src/providers/secret-header.js';

const body = Buffer.from('{}');
const check = (value: string | undefined, secret = 's3cret') =>
  verifySecretHeader(value === undefined ? {} : { [SECRET_HEADER.toLowerCase()]: value }, body, secret);

describe('the shared secret header (Paybook, RootFi)', () => {
  it('accepts exactly the webhook secret', () => {
    expect(check('s3cret')).toBe(true);
    expect(check('s3cre')).toBe(false);
    expect(check('S3CRET')).toBe(false);
  });

  it('refuses a missing header, an empty secret and a repeated header (Node joins repeats into one value)', () => {
    expect(check(undefined)).toBe(false);
    expect(check('', '')).toBe(false);
    expect(check('s3cret, s3cret')).toBe(false);
  });
});
