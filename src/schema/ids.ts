import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors.js';
import { BLOCK_BYTES, decryptBlock, deriveKey, encryptBlock } from '../crypto.js';

/** A Relay global id's parts, or null for anything that is not one. */
function decodeOrNull(globalId: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalID(globalId);
  } catch {
    return null;
  }
}

/** Decodes a Relay global id of the expected type, or null. */
export function tryDecodeId(globalId: string, typename: string): string | null {
  const decoded = decodeOrNull(globalId);
  return decoded?.typename === typename ? decoded.id : null;
}

/**
 * Decodes a Relay global id of the expected type; anything else (a raw id, another type's id, garbage) is a
 * ValidationError (BAD_USER_INPUT) naming the argument, whose value it does not echo.
 */
export function decodeId(globalId: string, typename: string, field = 'id'): string {
  const id = tryDecodeId(globalId, typename);
  if (id === null) throw new ValidationError(`${field} is not a ${typename} id: pass the global id that ${typename}.id gives`, field);
  return id;
}

/** The types that implement Node, which `node(id:)` and `nodes(ids:)` can load (test/graphql/ids.test.ts checks the list). */
export const NODE_TYPES: ReadonlySet<string> = new Set(['ApiKey', 'Event', 'Provider', 'Webhook']);

/**
 * The relay plugin's `decodeGlobalID` (builder.ts), used by `node(id:)` and `nodes(ids:)`: the plugin's own decoder
 * throws an error that is masked as a fault of ours, and takes any typename, so a Query or DateTime id would reach
 * its loader lookup and fail there. Anything but a Node's global id is a ValidationError (BAD_USER_INPUT).
 */
export function decodeNodeId(globalId: string): { typename: string; id: string } {
  const decoded = decodeOrNull(globalId);
  if (decoded === null || !NODE_TYPES.has(decoded.typename)) throw new ValidationError('id is not a global id of a Node', 'id');
  return decoded;
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
  /** A keyset position (`kind` names the list, e.g. `webhook`) sealed into the tenant's opaque cursor. */
  seal(tenant: CursorTenant, kind: string, position: string): string;
  /** The position inside one of the tenant's `kind` cursors, or null for anything else. */
  open(tenant: CursorTenant, kind: string, cursor: string): string | null;
}

/** The tenant a cursor belongs to; its key is derived once per tenant object (one request or subscription). */
export type CursorTenant = Readonly<{ id: string }>;

const CURSOR_PURPOSE = 'hookgraph/event-cursor/v1';
const CURSOR_CHECK = Buffer.from('hg:event', 'latin1');
const CURSOR_TEXT = /^[A-Za-z0-9_-]{22}$/;
const KEYSET_PURPOSE = 'hookgraph/keyset-cursor/v1';
/** Sealed cursors: a 12-byte synthetic nonce, the position, a 16-byte GCM tag; positions are short (a date and an id). */
const SEALED_TEXT = /^[A-Za-z0-9_-]{38,400}$/;

/** One key per purpose and tenant, derived once per tenant object (one request or subscription) and never kept beyond it. */
function keyCache(secretKey: Buffer, purpose: string) {
  const keys = new WeakMap<CursorTenant, Buffer>();
  return (tenant: CursorTenant) => {
    let key = keys.get(tenant);
    if (!key) {
      key = deriveKey(secretKey, purpose, tenant.id);
      keys.set(tenant, key);
    }
    return key;
  };
}

export function createCursorCodec(secretKey: Buffer): CursorCodec {
  const keyOf = keyCache(secretKey, CURSOR_PURPOSE);
  // Keyset cursors are longer than a block: AES-256-GCM with a synthetic nonce (an HMAC of the kind and the
  // position, SIV-style) so the same position always gives the same cursor, and any change fails the tag.
  const sealKeyOf = keyCache(secretKey, KEYSET_PURPOSE);
  const nonceOf = (key: Buffer, kind: string, position: string) =>
    createHmac('sha256', key).update(`nonce\0${kind}\0${position}`).digest().subarray(0, 12);
  return {
    seal(tenant, kind, position) {
      const key = sealKeyOf(tenant);
      const nonce = nonceOf(key, kind, position);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(kind));
      const body = Buffer.concat([cipher.update(position, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(tenant, kind, cursor) {
      if (!SEALED_TEXT.test(cursor)) return null;
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length < 29 || bytes.toString('base64url') !== cursor) return null;
      const key = sealKeyOf(tenant);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(Buffer.from(kind));
      decipher.setAuthTag(bytes.subarray(-16));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
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

/** The requesting tenant's opaque cursor for a keyset position in the list `kind`. */
export function sealCursor(ctx: CursorContext, kind: string, position: string): string {
  return ctx.services.cursors.seal(ctx.tenant, kind, position);
}

/** The position inside one of the requesting tenant's `kind` cursors; anything else is a ValidationError (BAD_USER_INPUT). */
export function openCursor(ctx: CursorContext, kind: string, cursor: string, field = 'after'): string {
  const position = ctx.services.cursors.open(ctx.tenant, kind, cursor);
  if (position === null) throw new ValidationError(`${field} is not a ${kind} cursor of this tenant`, field);
  return position;
}
