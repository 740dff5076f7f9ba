import type { IncomingHttpHeaders } from 'node:http';
import { DeliveryError } from '../domain/errors.js';
import { type NormalizedEvent, SAFE_EVENT_NAME } from '../domain/event.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { checkEventCount } from '../providers/event-count.js';
import { getProvider } from '../providers/registry.js';
import type { Delivery } from '../providers/types.js';
import { decodeBody } from './parse-body.js';

/** An authenticated delivery's bytes and what the vendor's normalizer needs to read them. */
export interface DeliveryInput {
  provider: ProviderKey;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  webhook: Delivery['webhook'];
  /** The delivery URL's tag (domain/delivery-url.ts), null without one. */
  tag: string | null;
  maxJsonDepth: number;
  maxEvents: number;
}

/** A normalized event, with the delivery's JSON text when the event's payload is the whole body (stored as sent). */
export type DecodedEvent = NormalizedEvent & { payloadJson?: string };

/** A normalizer that threw on a body: the delivery is refused 400, and the route logs the cause. */
export class NormalizerError extends DeliveryError {
  override name = 'NormalizerError';
  readonly detail: string;
  constructor(cause: unknown) {
    super(400, 'body does not have the shape this provider delivers');
    this.detail = cause instanceof Error ? cause.message : String(cause);
  }
}

/**
 * Parse → normalize → bound: the part of ingest that reads the body. Pure, so it runs on the event loop
 * for ordinary bodies and on a worker thread for large ones (off-thread.ts). Throws DeliveryError.
 */
export function decodeDelivery({ provider, headers, raw, webhook, tag, maxJsonDepth, maxEvents }: DeliveryInput): DecodedEvent[] {
  const { body, json } = decodeBody(headers['content-type'], raw, { maxJsonDepth });
  let normalized: NormalizedEvent[];
  try {
    normalized = getProvider(provider).normalize({ headers, rawBody: raw, body, webhook, tag, maxEvents });
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    throw new NormalizerError(error);
  }
  if (normalized.length === 0) throw new DeliveryError(400, 'delivery carries no event');
  // Batching vendors refuse this in their normalizer as soon as they see the count; this covers any other.
  checkEventCount(normalized.length, maxEvents);
  for (const e of normalized) {
    if (!SAFE_EVENT_NAME.test(e.providerEventType)) {
      throw new DeliveryError(400, 'event name is not 1 to 128 letters, digits, spaces or _ . : - /');
    }
  }
  return json === null ? normalized : normalized.map((e) => (e.payload === body ? { ...e, payloadJson: json } : e));
}
