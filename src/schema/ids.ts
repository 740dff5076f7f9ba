import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors.js';

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

/** Event cursors are opaque to clients; inside they are the log seq. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ValidationError('not an event cursor', 'after');
  return Number(m[1]);
}
