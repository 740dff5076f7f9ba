import { hash as digest } from 'node:crypto';

/**
 * FROZEN: a persisted format. SQLite's dedup hash for (webhook, dedup key): 53 bits of SHA-256, so it is
 * exact as a JS number and as a SQLite INTEGER. Every events.dedup_hash and event_dedup row holds it, so a
 * change would make every delivery stored before it look new; migrations 0003 and 0004 keep their own copy.
 * A collision costs a read of the other row (see appender.ts), never a lost event.
 */
export function dedupHash(webhookId: string, dedupKey: string): number {
  return Number(digest('sha256', `${webhookId}\n${dedupKey}`, 'buffer').readBigUInt64BE(0) >> 11n);
}
