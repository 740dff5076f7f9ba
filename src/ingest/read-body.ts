import type { IncomingMessage } from 'node:http';
import { DeliveryError } from '../domain/errors.js';

/** Reads the raw body, refusing (413) as soon as it passes `limit` bytes, declared or actual. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new DeliveryError(413, `body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new DeliveryError(413, `body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
