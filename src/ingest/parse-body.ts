import qs from 'qs';
import { DeliveryError } from '../domain/errors.js';
import { exceedsJsonDepth } from './json-depth.js';

export interface BodyLimits {
  /** Deepest nesting of objects and arrays a JSON body may have. @default 64 */
  maxJsonDepth?: number;
}

export interface DecodedBody {
  /** Parsed JSON, or the decoded form (nested keys expanded). */
  body: unknown;
  /** A JSON body's text exactly as sent, so the stored payload is the bytes the vendor sent; null for a form. */
  json: string | null;
}

/**
 * Refuses invalid UTF-8 instead of replacing it with U+FFFD: a stored payload must never differ
 * silently from the bytes the vendor sent (and signed). Keeps a byte order mark, which JSON.parse
 * then refuses, as it did before.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeText(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new DeliveryError(400, 'body is not valid UTF-8');
  }
}

/** qs stays bounded: 10 levels (deeper brackets stay part of the key), and a refusal past its counts rather than a silent cut. */
const FORM_OPTIONS = {
  depth: 10,
  arrayLimit: 1000,
  parameterLimit: 10_000,
  allowPrototypes: false,
  throwOnLimitExceeded: true,
} as const;

/**
 * Decodes a delivery body by its content type: JSON, or form-urlencoded (Booqable v1) with nested
 * keys (`data[id]`) expanded. A missing content type is sniffed as JSON; anything else is 415.
 * JSON nesting is bounded on the raw bytes before JSON.parse runs (see json-depth.ts).
 */
export function decodeBody(contentType: string | undefined, raw: Buffer, { maxJsonDepth = 64 }: BodyLimits = {}): DecodedBody {
  if (raw.length === 0) throw new DeliveryError(400, 'empty body');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const text = decodeText(raw);
    if (!/^[^=&]+=/.test(text)) throw new DeliveryError(400, 'body is not form-urlencoded');
    try {
      return { body: qs.parse(text, FORM_OPTIONS), json: null };
    } catch {
      throw new DeliveryError(
        400,
        `form body has more than ${FORM_OPTIONS.parameterLimit} parameters or an array longer than ${FORM_OPTIONS.arrayLimit}`,
      );
    }
  }
  if (type === '' || type === 'application/json' || type === 'text/json' || type.endsWith('+json')) {
    if (exceedsJsonDepth(raw, maxJsonDepth)) throw new DeliveryError(400, `JSON body is nested deeper than ${maxJsonDepth} levels`);
    const text = decodeText(raw);
    try {
      return { body: JSON.parse(text), json: text };
    } catch {
      throw new DeliveryError(400, 'body is not valid JSON');
    }
  }
  throw new DeliveryError(415, `unsupported content type ${type}`);
}

/** The parsed body alone (see decodeBody). */
export function parseBody(contentType: string | undefined, raw: Buffer, limits: BodyLimits = {}): unknown {
  return decodeBody(contentType, raw, limits).body;
}
