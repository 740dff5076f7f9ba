import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Limits } from '../config.js';
import { safeEqual, sha256Hex } from '../crypto.js';
import { DeliveryError } from '../domain/errors.js';
import type { NormalizedEvent } from '../domain/event.js';
import type { Metrics } from '../metrics.js';
import type { EventBus } from '../stream/bus.js';
import { getProvider } from '../providers/registry.js';
import type { NewEvent } from '../domain/event.js';
import type { Store } from '../store/store.js';
import { decodeDelivery, NormalizerError } from './decode-delivery.js';
import { applyVendorState } from './vendor-state.js';
import { countRefusal } from './health-counter.js';
import type { OffThreadDecoder } from './off-thread.js';
import { readBody } from './read-body.js';
import { refusalReason } from './refusal-reason.js';

export interface IngestDeps {
  store: Store;
  bus: EventBus;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
  /** Decodes bodies of `offThreadBytes` or more on a worker thread; without it every body is decoded inline. */
  decoder?: OffThreadDecoder;
  /** @default 256 KiB */
  offThreadBytes?: number;
  /** JSON depth, events per delivery and the body-read deadline (config.limits). */
  limits: Pick<Limits, 'maxJsonDepth' | 'maxEventsPerDelivery' | 'bodyTimeoutMs'>;
}

/** SHA-256 (hex) of the webhook id, a newline and the raw body, without copying the body. */
export function bodyHash(webhookId: string, raw: Buffer): string {
  return createHash('sha256').update(`${webhookId}\n`).update(raw).digest('hex');
}

/**
 * Dedup keys for the events of one delivery: the vendor's stable key, else its event id, else a
 * hash of webhook and raw body (with the item's index when the delivery carries several). The body
 * is hashed at most once per delivery, however many events share it: hashing it per item made a
 * batch cost its size times its length (a 1 MiB batch of 30,000 items stalled the gateway 38 s).
 */
export function dedupKeysOf(webhookId: string, raw: Buffer, count: number, hash: typeof bodyHash = bodyHash) {
  let body: string | undefined;
  return (e: NormalizedEvent, index: number): string => {
    if (e.dedupKey) return `key:${e.dedupKey}`;
    if (e.vendorEventId) return `id:${e.vendorEventId}`;
    body ??= hash(webhookId, raw);
    return `body:${body}${count > 1 ? `#${index}` : ''}`;
  };
}

/**
 * The ingest job as a plain Node handler in front of yoga: authenticate on the raw bytes, parse,
 * normalize, dedup, commit, answer 200, then publish. Bad input gets a 4xx and changes nothing.
 */
export function createIngestHandler({ store, bus, log, metrics, maxBodyBytes, limits, decoder, offThreadBytes = 256 * 1024 }: IngestDeps) {
  const { maxJsonDepth, maxEventsPerDelivery: maxEvents, bodyTimeoutMs } = limits;
  return async function handleDelivery(
    req: IncomingMessage,
    res: ServerResponse,
    webhookId: string,
    token: string,
    tag: string | null = null,
  ): Promise<void> {
    const started = performance.now();
    let provider = 'unknown';
    /** The webhook once the id names one: only then is the delivery counted in its health. */
    let known: { tenantId: string; id: string } | null = null;
    const reply = (status: number, body: Record<string, unknown>) => {
      metrics.deliveries.inc({ provider, status: String(status) });
      metrics.deliveryLatency.observe({ provider }, (performance.now() - started) / 1000);
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...(status === 405 && { allow: 'POST' }),
        // RFC 9110 §15.5.9: after a 408 the rest of the body is not read, so the connection closes.
        ...(status === 408 && { connection: 'close' }),
      });
      res.end(text);
    };
    try {
      if (req.method !== 'POST') throw new DeliveryError(405, 'deliveries must be POSTed');
      const target = await store.webhooks.deliveryTarget(webhookId);
      // Same work whether or not the webhook exists, then the token check.
      const presented = sha256Hex(token);
      const current = safeEqual(presented, target?.tokenHash ?? sha256Hex(''));
      // The token before a rotation, during its grace (rotateWebhookSecret): compared in constant time as well.
      const previous = safeEqual(presented, target?.previous?.tokenHash ?? sha256Hex(''));
      const tokenOk = current || (previous && target?.previous != null);
      if (!target) throw new DeliveryError(404, 'unknown webhook');
      provider = target.webhook.provider;
      known = target.webhook;
      if (!tokenOk) throw new DeliveryError(401, 'invalid delivery token');
      const raw = await readBody(req, maxBodyBytes, { timeoutMs: bodyTimeoutMs });
      const def = getProvider(target.webhook.provider);
      // Signed with the current secret, or, during a rotation's grace, with the previous one.
      const secrets = target.previous ? [target.secret, target.previous.secret] : [target.secret];
      if (def.verifyDelivery && !secrets.some((secret) => def.verifyDelivery?.(req.headers, raw, secret, target.webhook))) {
        throw new DeliveryError(401, 'invalid delivery signature');
      }
      const input = { provider: target.webhook.provider, headers: req.headers, raw, webhook: target.webhook, tag, maxJsonDepth, maxEvents };
      const normalized = decoder && raw.length >= offThreadBytes ? await decoder.decode(input) : decodeDelivery(input);
      const receivedAt = new Date();
      const dedupKeyOf = dedupKeysOf(target.webhook.id, raw, normalized.length);
      const rows: NewEvent[] = normalized.map((e, i) => ({
        tenantId: target.webhook.tenantId,
        webhookId: target.webhook.id,
        provider: target.webhook.provider,
        type: e.type,
        providerEventType: e.providerEventType,
        resource: e.resource,
        occurredAt: e.occurredAt && !Number.isNaN(e.occurredAt.getTime()) ? e.occurredAt : null,
        receivedAt,
        test: e.test,
        payload: e.payload,
        ...(e.payloadJson !== undefined && { payloadJson: e.payloadJson }),
        dedupKey: dedupKeyOf(e, i),
      }));
      let appended: Awaited<ReturnType<Store['events']['append']>>;
      try {
        appended = await store.events.append(rows);
      } catch (error) {
        log.error({ err: error, webhookId, provider }, 'could not store a delivery');
        countRefusal(store.health, known, 'unavailable');
        reply(503, { error: 'temporarily unable to store the delivery; retry later' });
        return;
      }
      const stored = appended.filter((a) => a !== null);
      reply(200, { received: rows.length, stored: stored.length, duplicates: rows.length - stored.length });
      store.health.delivered(target.webhook, stored.length, rows.length - stored.length);
      metrics.eventsStored.inc({ provider }, stored.length);
      if (rows.length > stored.length) metrics.duplicates.inc({ provider }, rows.length - stored.length);
      for (const a of stored) bus.publish(a);
      applyVendorState(store, log, target.webhook, stored);
      log.debug({ webhookId, provider, stored: stored.length, duplicates: rows.length - stored.length }, 'delivery accepted');
    } catch (error) {
      if (error instanceof NormalizerError) log.warn({ webhookId, provider, detail: error.detail }, 'normalizer failed on a delivery');
      if (error instanceof DeliveryError) {
        // Never log the URL: its token authenticates deliveries.
        const reason = refusalReason(error);
        metrics.deliveryRefusals.inc({ provider, status: String(error.status), reason });
        countRefusal(store.health, known, reason);
        log.info({ webhookId, provider, status: error.status, reason, message: error.message }, 'delivery refused');
        if (!res.headersSent) reply(error.status, { error: error.message });
        if (error.status === 413) req.resume();
        return;
      }
      log.error({ err: error, webhookId, provider }, 'delivery failed');
      countRefusal(store.health, known, 'internal');
      if (!res.headersSent) reply(500, { error: 'internal error' });
    }
  };
}
