/** Narrowing helpers for vendor JSON, which enters as `unknown` (STYLE.md habit 11). */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A non-empty string, else null. */
export const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A non-empty string, or a number as its decimal text (ids vendors write either way), else null. */
export const textOrNumber = (v: unknown): string | null => (typeof v === 'number' ? String(v) : text(v));

/**
 * The string-valued members of an object (custom headers), others dropped; {} for anything else. Names
 * come from the vendor: fromEntries defines them as own keys, so `__proto__` stays a plain key.
 */
export const stringRecord = (v: unknown): Record<string, string> =>
  isObject(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

/** `v[key]` when `v` is an object, else undefined: the member of an envelope (`{data: …}`) that may be missing. */
export const prop = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/** Narrows one vendor value to its wire type, or null when it is not one. */
export type Narrow<T> = (v: unknown) => T | null;

/**
 * Every item of a vendor list, narrowed; throws `unreadable()` when the value is not a list or any item
 * does not narrow: a list read in part would hide registrations from sync.
 */
export function readList<T>(value: unknown, narrow: Narrow<T>, unreadable: () => Error): T[] {
  if (!Array.isArray(value)) throw unreadable();
  const out: T[] = [];
  for (const item of value) out.push(readOne(item, narrow, unreadable));
  return out;
}

/** One vendor value, narrowed; throws `unreadable()` when it does not narrow. */
export function readOne<T>(value: unknown, narrow: Narrow<T>, unreadable: () => Error): T {
  const narrowed = narrow(value);
  if (narrowed === null) throw unreadable();
  return narrowed;
}
