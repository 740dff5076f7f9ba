import { ProviderError } from '../../domain/errors.js';
import { type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, isStringArray, type Json, readList, readOne, text, textOrNumber } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type {
  PaybookCreateBody,
  PaybookSubscriptionBody,
  PaybookSubscriptionWire,
  PaybookV3CatalogueEntry,
  PaybookWebhookWire,
} from './wire.js';

export interface PaybookCredentials {
  apiKey: string;
}

const num = (v: unknown, fallback = 0) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : fallback);
const date = (v: unknown): string | number | null => (typeof v === 'string' || typeof v === 'number' ? v : null);

function narrowWebhook(v: unknown): PaybookWebhookWire | null {
  if (!isObject(v) || typeof v['id_webhook'] !== 'string' || typeof v['url'] !== 'string') return null;
  const events = v['events'];
  if (!isStringArray(events)) return null;
  return {
    id_webhook: v['id_webhook'],
    id_user: typeof v['id_user'] === 'string' ? v['id_user'] : null,
    is_disabled: v['is_disabled'] === true ? 1 : num(v['is_disabled']),
    events,
    url: v['url'],
    delay: num(v['delay']),
    ct_failed: num(v['ct_failed']),
    // Older docs say dt_create/dt_modify; real answers carry dt_created/dt_modified (VENDORS.md §3.1).
    dt_created: date(v['dt_created'] ?? v['dt_create']),
    dt_modified: date(v['dt_modified'] ?? v['dt_modify']),
  };
}

/** The id's field is not documented (VENDORS.md §3.2): the path parameter's name first, then two likely others. */
const subscriptionId = (v: Json): string | null =>
  textOrNumber(v['id_subscription']) ?? textOrNumber(v['id_webhook_subscription']) ?? textOrNumber(v['id']);

/** Subscriptions hold at most this many events; more is an answer hookgraph will not read. */
const MAX_SUBSCRIPTION_EVENTS = 200;

function narrowSubscription(v: unknown): PaybookSubscriptionWire | null {
  if (!isObject(v)) return null;
  const id = subscriptionId(v);
  const url = text(v['url']);
  const events = v['events'];
  // Events may come back as ids or as catalogue entries ({id_webhook_event, name}).
  const ids = Array.isArray(events) ? events.map((e) => (isObject(e) ? textOrNumber(e['id_webhook_event']) : textOrNumber(e))) : null;
  if (id === null || url === null || ids === null || ids.length > MAX_SUBSCRIPTION_EVENTS || ids.some((e) => e === null)) return null;
  const status = v['status'];
  return {
    id_subscription: id,
    url,
    events: ids as string[],
    description: text(v['description']),
    id_environment: textOrNumber(v['id_environment']),
    disabled:
      v['is_disabled'] === true ||
      v['is_disabled'] === 1 ||
      v['is_active'] === false ||
      v['is_active'] === 0 ||
      (typeof status === 'string' && /disabled|inactive/i.test(status)),
    dt_created: date(v['dt_created'] ?? v['dt_create']),
    dt_modified: date(v['dt_modified'] ?? v['dt_modify']),
  };
}

function narrowCatalogueEntry(v: unknown): PaybookV3CatalogueEntry | null {
  if (!isObject(v)) return null;
  const id = textOrNumber(v['id_webhook_event']);
  const name = text(v['name']);
  return id !== null && name !== null ? { id_webhook_event: id, name } : null;
}

/**
 * Unwraps `{rid, code, status, response}`. A `status: false` or non-2xx `code` inside a 2xx answer is
 * still a failure. The vendor's message text never goes into the error.
 */
function unwrap(res: HttpResponse): { response: unknown; rid: string | null } {
  const body = res.body;
  if (!isObject(body) || !Object.hasOwn(body, 'response')) {
    throw new ProviderError('PAYBOOK answered without its response envelope', {
      provider: 'PAYBOOK',
      status: res.status,
      vendorRequestId: res.vendorRequestId,
    });
  }
  const rid = typeof body['rid'] === 'string' ? body['rid'] : res.vendorRequestId;
  const code = num(body['code'], res.status);
  if (body['status'] === false || code < 200 || code >= 300) {
    throw new ProviderError(`PAYBOOK refused the request (code ${code})`, {
      provider: 'PAYBOOK',
      status: code,
      retryable: code === 429 || code >= 500,
      vendorRequestId: rid,
    });
  }
  return { response: body['response'], rid };
}

/**
 * V1 webhook management: list, create, delete (seed); V3 subscriptions: list, create, update, delete, and the catalogue
 * of V3 event ids (VENDORS.md §3.2, from Postman). The host moved to api.syncfy.com; both work.
 */
export function createPaybookClient(ctx: ConnectorContext<PaybookCredentials>) {
  const origin = ctx.baseUrl.replace(/\/+$/, '');
  const base = `${origin}/v1/webhooks`;
  const subscriptions = `${base}/subscriptions`;
  const headers = () => ({ authorization: `api_key api_key=${ctx.credentials.apiKey}` });

  const send = ctx.http.send;

  return {
    async list(): Promise<PaybookWebhookWire[]> {
      const res = await send({ method: 'GET', url: base, headers: headers() });
      return readList(unwrap(res).response, narrowWebhook, () => unreadableAnswer('PAYBOOK', 'a webhook list', res));
    },
    async create(body: PaybookCreateBody): Promise<PaybookWebhookWire> {
      const res = await send({ method: 'POST', url: base, headers: headers(), json: body });
      return readOne(unwrap(res).response, narrowWebhook, () => unreadableAnswer('PAYBOOK', 'a created webhook', res));
    },
    async remove(id: string): Promise<void> {
      const res = await send({ method: 'DELETE', url: `${base}/${encodeURIComponent(id)}`, headers: headers(), acceptStatus: [404] });
      if (res.status !== 404) unwrap(res);
    },
    /**
     * V3 subscriptions. A 404 for the whole collection is an account without the V3 API: it has none, and a
     * hookgraph V3 webhook there is missing like any other (reconciliation's rule of absences applies).
     */
    async listSubscriptions(): Promise<PaybookSubscriptionWire[]> {
      const res = await send({ method: 'GET', url: subscriptions, headers: headers(), acceptStatus: [404] });
      if (res.status === 404) return [];
      return readList(unwrap(res).response, narrowSubscription, () => unreadableAnswer('PAYBOOK', 'a subscription list', res));
    },
    async createSubscription(body: PaybookSubscriptionBody): Promise<PaybookSubscriptionWire> {
      const res = await send({ method: 'POST', url: subscriptions, headers: headers(), json: body });
      // An answer without a readable subscription is ambiguous (unreadableAnswer keeps its 2xx status): the caller
      // confirms by the list, where the delivery URL names it.
      return readOne(unwrap(res).response, narrowSubscription, () => unreadableAnswer('PAYBOOK', 'a created subscription', res));
    },
    async updateSubscription(id: string, body: PaybookSubscriptionBody): Promise<PaybookSubscriptionWire> {
      const res = await send({ method: 'PUT', url: `${subscriptions}/${encodeURIComponent(id)}`, headers: headers(), json: body });
      return readOne(unwrap(res).response, narrowSubscription, () => unreadableAnswer('PAYBOOK', 'an updated subscription', res));
    },
    async removeSubscription(id: string): Promise<void> {
      const res = await send({
        method: 'DELETE',
        url: `${subscriptions}/${encodeURIComponent(id)}`,
        headers: headers(),
        acceptStatus: [404],
      });
      if (res.status !== 404) unwrap(res);
    },
    /** V3 event names and the ids a subscription takes (GET /v1/catalogues/webhook3_events). */
    async v3Catalogue(): Promise<PaybookV3CatalogueEntry[]> {
      const res = await send({ method: 'GET', url: `${origin}/v1/catalogues/webhook3_events`, headers: headers() });
      return readList(unwrap(res).response, narrowCatalogueEntry, () => unreadableAnswer('PAYBOOK', 'the V3 event catalogue', res));
    },
  };
}
