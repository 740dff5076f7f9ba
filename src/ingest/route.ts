import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { safeEqual, sha256Hex } from '../crypto.js';
import { DeliveryError } from '../domain/errors.js';
import type { NormalizedEvent } from '../domain/event.js';
import type { Metrics } from '../metrics.js';
import type { EventBus } from '../pubsub.js';
import { getProvider } from '../providers/registry.js';
import type { NewEvent } from '../store/events.js';
import type { Store } from '../store/store.js';
import type { EventWriter } from './event-writer.js';
import { parseBody } from './parse-body.js';
import { readBody } from './read-body.js';

/** `/hooks/<webhook uuid>/<token>`: the one URL shape every deliveryUrl has. */
export const INGEST_PATH = /^\/hooks\/([0-9a-f-]{36})\/([A-Za-z0-9_-]{16,128})\/?$/;

export interface IngestDeps {
  store: Store;
  writer: EventWriter;
  bus: EventBus;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes: number;
}

/** Dedup key: the vendor's stable key, else its event id, else a hash of webhook and raw body. */
export function dedupKeyOf(e: NormalizedEvent, webhookId: string, raw: Buffer, index: number, count: number): string {
  if (e.dedupKey) return `key:${e.dedupKey}`;
  if (e.vendorEventId) return `id:${e.vendorEventId}`;
  return `body:${sha256Hex(Buffer.concat([Buffer.from(`${webhookId}\n`), raw]))}${count > 1 ? `#${index}` : ''}`;
}

/**
 * The ingest job as a plain Node handler in front of yoga: authenticate on the raw bytes, parse,
 * normalize, dedup, commit, answer 200, then publish. Bad input gets a 4xx and changes nothing.
 */
export function createIngestHandler({ store, writer, bus, log, metrics, maxBodyBytes }: IngestDeps) {
  return async function handleDelivery(req: IncomingMessage, res: ServerResponse, webhookId: string, token: string): Promise<void> {
    const started = performance.now();
    let provider = 'unknown';
    const reply = (status: number, body: Record<string, unknown>) => {
      metrics.deliveries.inc({ provider, status: String(status) });
      metrics.deliveryLatency.observe({ provider }, (performance.now() - started) / 1000);
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...(status === 405 && { allow: 'POST' }),
      });
      res.end(text);
    };
    try {
      if (req.method !== 'POST') throw new DeliveryError(405, 'deliveries must be POSTed');
      const target = await store.webhooks.deliveryTarget(webhookId);
      // Same work whether or not the webhook exists, then the token check.
      const tokenOk = safeEqual(sha256Hex(token), target?.tokenHash ?? sha256Hex(''));
      if (!target) throw new DeliveryError(404, 'unknown webhook');
      provider = target.webhook.provider;
      if (!tokenOk) throw new DeliveryError(401, 'invalid delivery token');
      const raw = await readBody(req, maxBodyBytes);
      const def = getProvider(target.webhook.provider);
      if (def.verifyDelivery && !def.verifyDelivery(req.headers, raw, target.secret)) {
        throw new DeliveryError(401, 'invalid delivery signature');
      }
      const body = parseBody(req.headers['content-type'], raw);
      const isJson = !/form-urlencoded/i.test(req.headers['content-type'] ?? '');
      let normalized: NormalizedEvent[];
      try {
        normalized = def.normalize({ headers: req.headers, rawBody: raw, body, webhook: target.webhook });
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        log.warn({ err: error, webhookId, provider }, 'normalizer failed on a delivery');
        throw new DeliveryError(400, 'body does not have the shape this provider delivers');
      }
      if (normalized.length === 0) throw new DeliveryError(400, 'delivery carries no event');
      const receivedAt = new Date();
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
        ...(e.payload === body && isJson && { payloadJson: raw.toString('utf8') }),
        dedupKey: dedupKeyOf(e, target.webhook.id, raw, i, normalized.length),
      }));
      let appended: Awaited<ReturnType<EventWriter['write']>>;
      try {
        appended = await writer.write(rows);
      } catch (error) {
        log.error({ err: error, webhookId, provider }, 'could not store a delivery');
        reply(503, { error: 'temporarily unable to store the delivery; retry later' });
        return;
      }
      const stored = appended.filter((a) => a !== null);
      reply(200, { received: rows.length, stored: stored.length, duplicates: rows.length - stored.length });
      metrics.eventsStored.inc({ provider }, stored.length);
      for (const a of stored) bus.publish(a);
      log.debug({ webhookId, provider, stored: stored.length, duplicates: rows.length - stored.length }, 'delivery accepted');
    } catch (error) {
      if (error instanceof DeliveryError) {
        // Never log the URL: its token authenticates deliveries.
        log.info({ webhookId, provider, status: error.status, reason: error.message }, 'delivery refused');
        if (!res.headersSent) reply(error.status, { error: error.message });
        if (error.status === 413) req.resume();
        return;
      }
      log.error({ err: error, webhookId, provider }, 'delivery failed');
      if (!res.headersSent) reply(500, { error: 'internal error' });
    }
  };
}
