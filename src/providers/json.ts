/** Narrowing helpers for vendor JSON, which enters as `unknown` (STYLE.md habit 11). */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** A non-empty string, else null. */
export const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
