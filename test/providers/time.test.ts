import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/providers/time.js';

const iso = (value: unknown, format?: Parameters<typeof parseTime>[1]) => parseTime(value, format)?.toISOString() ?? null;

describe('one parser for every vendor time', () => {
  it('reads ISO 8601 and the variants vendors write, to the millisecond, as UTC without a zone', () => {
    expect(iso('2021-01-01T00:00:00Z')).toBe('2021-01-01T00:00:00.000Z');
    expect(iso('2020-05-19T04:30:06.123456+00:00')).toBe('2020-05-19T04:30:06.123Z');
    expect(iso('2025-05-14T10:48:07.8912039Z')).toBe('2025-05-14T10:48:07.891Z');
    expect(iso('2023-06-16 19:06:18-0530')).toBe('2023-06-17T00:36:18.000Z');
    expect(iso('2021-01-01 00:00:00 UTC')).toBe('2021-01-01T00:00:00.000Z');
    expect(iso('2024-05-16T10:46')).toBe('2024-05-16T10:46:00.000Z');
  });

  it('hands other strings to Date unless the format is strict, and never answers an Invalid Date', () => {
    expect(iso('2022-01-23')).toBe('2022-01-23T00:00:00.000Z');
    expect(iso('2022-01-23', { lenient: false })).toBeNull();
    expect(iso('2021-13-45T00:00:00Z')).toBeNull();
    expect(iso('yesterday')).toBeNull();
    expect(iso('   ')).toBeNull();
    expect(iso({ at: '2021-01-01T00:00:00Z' })).toBeNull();
  });

  it('reads numbers only where the vendor writes epochs, in its unit', () => {
    expect(iso(1590730239)).toBeNull();
    expect(iso(1590730239, { epoch: 'seconds' })).toBe('2020-05-29T05:30:39.000Z');
    expect(iso(1590730239000, { epoch: 'auto' })).toBe('2020-05-29T05:30:39.000Z');
    expect(iso('1590730239', { epoch: 'auto' })).toBeNull();
    expect(iso('1590730239', { epoch: 'seconds', epochStrings: true })).toBe('2020-05-29T05:30:39.000Z');
    expect(iso(Number.POSITIVE_INFINITY, { epoch: 'auto' })).toBeNull();
  });
});
