import { describe, expect, it } from 'vitest';
import { type MintedToken, refreshingToken } from '../../src/client/index.js';

/** A mint that hands out token-1, token-2, … each valid `ttlMs` from the clock's now, and counts its calls. */
function minter(clock: { now: number }, ttlMs: number) {
  const calls = { count: 0 };
  const mint = async (): Promise<MintedToken> => {
    calls.count++;
    return { token: `token-${calls.count}`, expiresAt: new Date(clock.now + ttlMs).toISOString() };
  };
  return { mint, calls };
}

describe('refreshingToken', () => {
  it('mints once and gives the cached token until 60 s before its expiry, then mints the next', async () => {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const { mint, calls } = minter(clock, 900_000);
    const token = refreshingToken(mint, { now: () => clock.now });
    expect(await token()).toBe('token-1');
    clock.now += 839_999;
    expect(await token()).toBe('token-1');
    clock.now += 1;
    expect(await token()).toBe('token-2');
    expect(calls.count).toBe(2);
  });

  it('lets callers asking during a mint share it', async () => {
    const clock = { now: 0 };
    const { mint, calls } = minter(clock, 900_000);
    const token = refreshingToken(mint, { now: () => clock.now });
    expect(await Promise.all([token(), token(), token()])).toEqual(['token-1', 'token-1', 'token-1']);
    expect(calls.count).toBe(1);
  });

  it('mints again, cache or not, when the server refused the token (refresh: true)', async () => {
    const clock = { now: 0 };
    const { mint } = minter(clock, 900_000);
    const token = refreshingToken(mint, { now: () => clock.now });
    expect(await token({ refresh: false })).toBe('token-1');
    expect(await token({ refresh: true })).toBe('token-2');
    expect(await token({ refresh: false })).toBe('token-2');
  });

  it('never caches a token that lives shorter than the margin, nor one with an unreadable expiry', async () => {
    const clock = { now: 0 };
    const short = minter(clock, 30_000);
    const shortToken = refreshingToken(short.mint, { now: () => clock.now });
    expect([await shortToken(), await shortToken()]).toEqual(['token-1', 'token-2']);
    let n = 0;
    const unreadable = refreshingToken(() => ({ token: `t${++n}`, expiresAt: 'soon' }));
    expect([await unreadable(), await unreadable()]).toEqual(['t1', 't2']);
  });

  it('does not cache a failed mint: the next call mints again', async () => {
    let n = 0;
    const token = refreshingToken(async () => {
      if (++n === 1) throw new Error('mint endpoint down');
      return { token: 'after-failure', expiresAt: new Date(Date.now() + 900_000) };
    });
    await expect(token()).rejects.toThrow('mint endpoint down');
    expect(await token()).toBe('after-failure');
  });
});
