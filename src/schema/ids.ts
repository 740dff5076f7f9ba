import { timingSafeEqual } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors.js';
import { BLOCK_BYTES, decryptBlock, deriveKey, encryptBlock } from '../crypto.js';

/** Decodes a Relay global id of the expected type, or null. */
export function tryDecodeId(globalId: string, typename: string): string | null {
  try {
    const { typename: t, id } = decodeGlobalID(globalId);
    return t === typename ? id : null;
  } catch {
    return null;
  }
}

/** Decodes a Relay global id of the expected type; anything else is a ValidationError. */
export function decodeId(globalId: string, typename: string): string {
  const id = tryDecodeId(globalId, typename);
  if (id === null) throw new ValidationError(`not a ${typename} id: ${globalId.slice(0, 64)}`, 'id');
  return id;
}

/**
 * Event cursors: the log seq, encrypted per tenant so a cursor reveals nothing (not even how many
 * events other tenants received between two of yours). One AES block holds the seq (8 bytes, big-endian)
 * and a fixed check value (8 bytes) under a key derived from the gateway secret key and the tenant id:
 * every replica (they share HOOKGRAPH_SECRET_KEY) writes the same cursor for the same event, and a
 * tampered, forged or other tenant's cursor decrypts to noise that fails the check (odds 2^-64).
 */
export interface CursorCodec {
  /** The tenant's opaque cursor for `seq`: 22 base64url characters. */
  encode(tenant: CursorTenant, seq: number): string;
  /** The seq inside one of the tenant's cursors, or null for anything else. */
  decode(tenant: CursorTenant, cursor: string): number | null;
}

/** The tenant a cursor belongs to; its key is derived once per tenant object (one request or subscription). */
export type CursorTenant = Readonly<{ id: string }>;

const CURSOR_PURPOSE = 'hookgraph/event-cursor/v1';
const CURSOR_CHECK = Buffer.from('hg:event', 'latin1');
const CURSOR_TEXT = /^[A-Za-z0-9_-]{22}$/;

export function createCursorCodec(secretKey: Buffer): CursorCodec {
  // Keyed by the tenant object, not its id: a request derives its key once, and nothing outlives it.
  const keys = new WeakMap<CursorTenant, Buffer>();
  const keyOf = (tenant: CursorTenant) => {
    let key = keys.get(tenant);
    if (!key) {
      key = deriveKey(secretKey, CURSOR_PURPOSE, tenant.id);
      keys.set(tenant, key);
    }
    return key;
  };
  return {
    encode(tenant, seq) {
      if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`not an event seq: ${seq}`);
      const block = Buffer.alloc(BLOCK_BYTES);
      block.writeBigUInt64BE(BigInt(seq), 0);
      CURSOR_CHECK.copy(block, 8);
      return encryptBlock(keyOf(tenant), block).toString('base64url');
    },
    decode(tenant, cursor) {
      if (!CURSOR_TEXT.test(cursor)) return null;
      const bytes = Buffer.from(cursor, 'base64url');
      // base64url decoding ignores the last character's spare bits: only the canonical spelling is a cursor.
      if (bytes.length !== BLOCK_BYTES || bytes.toString('base64url') !== cursor) return null;
      const block = decryptBlock(keyOf(tenant), bytes);
      if (!timingSafeEqual(block.subarray(8), CURSOR_CHECK)) return null;
      const seq = block.readBigUInt64BE(0);
      return seq <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seq) : null;
    },
  };
}

/** What encodeCursor and decodeCursor need from the GraphQL context. */
type CursorContext = Readonly<{ tenant: CursorTenant; services: Readonly<{ cursors: CursorCodec }> }>;

/** The requesting tenant's cursor for an event seq. */
export function encodeCursor(ctx: CursorContext, seq: number): string {
  return ctx.services.cursors.encode(ctx.tenant, seq);
}

/** The seq inside one of the requesting tenant's cursors; anything else is a ValidationError (BAD_USER_INPUT). */
export function decodeCursor(ctx: CursorContext, cursor: string, field = 'after'): number {
  const seq = ctx.services.cursors.decode(ctx.tenant, cursor);
  if (seq === null) throw new ValidationError(`${field} is not an event cursor of this tenant`, field);
  return seq;
}
