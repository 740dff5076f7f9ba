/** Byte classes for the depth scan: 0 is every byte that cannot change the nesting. */
const QUOTE = 1;
const OPEN = 2;
const CLOSE = 3;
const CLASS = new Uint8Array(256);
CLASS[0x22] = QUOTE; // "
CLASS[0x7b] = OPEN; // {
CLASS[0x5b] = OPEN; // [
CLASS[0x7d] = CLOSE; // }
CLASS[0x5d] = CLOSE; // ]

/**
 * Whether the JSON text in `bytes` nests objects and arrays deeper than `max`, decided in one pass
 * over the raw bytes before anything parses them: JSON.parse itself has no depth limit, and a
 * 10 KB body nested 5,000 deep parses fine but breaks every recursive reader after it
 * (JSON.stringify, GraphQL serializers, structured clone).
 *
 * Brackets inside strings do not count; a string ends at the first quote not escaped by a
 * backslash. UTF-8 needs no decoding for this: every byte of a multi-byte sequence is ≥ 0x80, so
 * none is a quote, a backslash or a bracket. Invalid JSON gets an answer too (unbalanced closers
 * only lower the count); JSON.parse refuses it afterwards. Stops at the first level past `max`, so
 * a deep body costs `max` brackets, not its length.
 */
export function exceedsJsonDepth(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const kind = CLASS[bytes[i] as number];
    if (kind === 0) continue;
    if (kind === QUOTE) {
      // Inside a string only a quote or a backslash matter; the tight loop keeps long strings cheap.
      for (i++; i < n; i++) {
        const c = bytes[i];
        if (c === 0x22) break;
        if (c === 0x5c) i++;
      }
    } else if (kind === OPEN) {
      if (++depth > max) return true;
    } else depth--;
  }
  return false;
}
