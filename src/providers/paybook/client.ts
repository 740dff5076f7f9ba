import { ProviderError } from '../../domain/errors.js';
import { type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, isStringArray, readList, readOne } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type { PaybookCreateBody, PaybookWebhookWire } from './wire.js';

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

/** V1 webhook management: list, create, delete (seed). The host moved to api.syncfy.com; both work. */
export function createPaybookClient(ctx: ConnectorContext<PaybookCredentials>) {
  const base = `${ctx.baseUrl.replace(/\/+$/, '')}/v1/webhooks`;
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
  };
}
