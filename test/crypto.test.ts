import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer, safeEqual } from '../src/crypto.js';

describe('sealer', () => {
  const sealer = createSealer(randomBytes(32));

  it('round-trips a value bound to its associated data', () => {
    const sealed = sealer.seal('s3cret-token', 'connection:t1:DESKERA');
    expect(sealed).not.toContain('s3cret-token');
    expect(sealer.open(sealed, 'connection:t1:DESKERA')).toBe('s3cret-token');
  });

  it('refuses to open under other associated data (a row copied to another tenant)', () => {
    const sealed = sealer.seal('value', 'connection:t1:DESKERA');
    expect(() => sealer.open(sealed, 'connection:t2:DESKERA')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = sealer.seal('value', 'aad');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3] as string, 'base64url');
    ct[0] = (ct[0] as number) ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'aad')).toThrow();
  });

  it('uses a fresh IV each time', () => {
    expect(sealer.seal('same', 'aad')).not.toBe(sealer.seal('same', 'aad'));
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => createSealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('safeEqual', () => {
  it('compares equal strings as equal and different ones as different', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
  });

  it('returns false for different lengths instead of throwing', () => {
    expect(safeEqual('short', 'a much longer string')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
