import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seqInMs = 0;
// Random bytes drawn 4 KiB at a time: one call per 256 ids instead of one each.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function random16(): Buffer {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  return b;
}
/**
 * A time-ordered UUID (RFC 9562 version 7). Event ids grow with time, so their unique index is
 * appended to at its right edge instead of taking a random page per insert. Within one millisecond
 * a 12-bit counter keeps them increasing.
 */
export function uuidv7(): string {
  const b = random16();
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    seqInMs = (b[6] as number) & 0x03; // a low random start leaves room to count
  } else if (++seqInMs > 0xfff) {
    lastMs += 1;
    seqInMs = 0;
  }
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seqInMs >> 8);
  b[7] = seqInMs & 0xff;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
