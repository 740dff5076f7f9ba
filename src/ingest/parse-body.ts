import qs from 'qs';
import { DeliveryError } from '../domain/errors.js';

/**
 * Parses a delivery body by its content type: JSON, or form-urlencoded (Booqable v1) with nested
 * keys (`data[id]`) expanded. A missing content type is sniffed as JSON; anything else is 415.
 */
export function parseBody(contentType: string | undefined, raw: Buffer): unknown {
  if (raw.length === 0) throw new DeliveryError(400, 'empty body');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const text = raw.toString('utf8');
    if (!/^[^=&]+=/.test(text)) throw new DeliveryError(400, 'body is not form-urlencoded');
    return qs.parse(text, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000, allowPrototypes: false });
  }
  if (type === '' || type === 'application/json' || type === 'text/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw new DeliveryError(400, 'body is not valid JSON');
    }
  }
  throw new DeliveryError(415, `unsupported content type ${type}`);
}
