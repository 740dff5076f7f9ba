/** How one vendor writes times; each vendor's wire.ts names its own. */
export interface TimeFormat {
  /**
   * What a number is: `seconds` since the epoch, or `auto` (seconds below 1e11, milliseconds above).
   * @default a number is not a time
   */
  epoch?: 'seconds' | 'auto';
  /** A string of digits only is a number too (Paybook writes unix seconds either way). @default false */
  epochStrings?: boolean;
  /**
   * A string outside the date-time grammar below goes to Date's own parser (date-only ISO, RFC 2822…);
   * false where the vendor's format is known exactly and anything else is unreadable. @default true
   */
  lenient?: boolean;
}

/** The common case, read by Date exactly as written. */
const PLAIN_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;

/**
 * ISO 8601 and the variants vendors write: a space for the T (Rails, Paybook V3), seconds left out,
 * any number of fractional digits (Booqable and Paybook write microseconds, SuperOffice seven digits;
 * Date keeps milliseconds), `UTC` for Z, an offset without a colon (`+0000`).
 */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

const DIGITS = /^\d+$/;

/**
 * A vendor timestamp as a Date, or null for anything unreadable (never an Invalid Date). Parsed
 * explicitly rather than trusting Date's lenient fallback; a date-time without a zone is UTC, which is
 * what every vendor writes.
 */
export function parseTime(value: unknown, { epoch, epochStrings = false, lenient = true }: TimeFormat = {}): Date | null {
  if (typeof value === 'number') return epoch === undefined ? null : fromEpoch(value, epoch);
  if (typeof value !== 'string') return null;
  if (PLAIN_UTC.test(value)) return valid(new Date(value));
  const text = value.trim();
  if (text === '') return null;
  if (epoch !== undefined && epochStrings && DIGITS.test(text)) return fromEpoch(Number(text), epoch);
  const m = DATE_TIME.exec(text);
  if (m) {
    const [, day, time = '', fraction = '', zone = 'Z'] = m;
    const ms = fraction.padEnd(3, '0').slice(0, 3);
    const upper = zone.toUpperCase();
    const offset = upper === 'Z' || upper === 'UTC' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    return valid(new Date(`${day}T${time.length === 5 ? `${time}:00` : time}.${ms}${offset}`));
  }
  return lenient ? valid(new Date(text)) : null;
}

function fromEpoch(n: number, epoch: 'seconds' | 'auto'): Date | null {
  if (!Number.isFinite(n)) return null;
  return valid(new Date(epoch === 'seconds' || n < 1e11 ? n * 1000 : n));
}

const valid = (d: Date): Date | null => (Number.isNaN(d.getTime()) ? null : d);
