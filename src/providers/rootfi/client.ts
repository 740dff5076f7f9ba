import type { RemoteWebhook, WebhookSpec } from '../../domain/webhook.js';
import { unreadableAnswer } from '../http.js';
import type { ConnectorContext } from '../types.js';
import { toRemoteWebhook, toWebhookFields } from './map.js';
import type { RootfiCreateBody, RootfiWebhookFields, RootfiWebhookWire } from './wire.js';
import { isObject, isStringArray } from '../json.js';

export interface RootfiCredentials {
  apiKey: string;
}

/** v3 management calls in RootFi's dialect (VENDORS.md §4.1); vendor JSON is narrowed here. */
export interface RootfiClient {
  list(): Promise<RemoteWebhook[]>;
  /** Registers one planned group of catalogue names. */
  create(group: readonly string[], spec: WebhookSpec): Promise<RemoteWebhook>;
  update(id: string, group: readonly string[], spec: WebhookSpec): Promise<RemoteWebhook>;
  /** Resolves also when RootFi no longer has the hook (404). */
  remove(id: string): Promise<void>;
}

const PROVIDER = 'ROOTFI';
const WEBHOOKS_PATH = '/v3/core/webhooks';

function narrowWebhook(v: unknown): RootfiWebhookWire | null {
  if (!isObject(v)) return null;
  const { id, url, type, operations, data_models: dataModels, name, created_at: createdAt, headers } = v;
  if (typeof id !== 'string' || id === '' || typeof url !== 'string' || typeof type !== 'string') return null;
  if (!isStringArray(operations) || !isStringArray(dataModels)) return null;
  // Header names come from the vendor: fromEntries defines them as own keys, so `__proto__` stays a plain key.
  const stringHeaders: Record<string, string> = isObject(headers)
    ? Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  return {
    id,
    url,
    type,
    operations,
    data_models: dataModels,
    name: typeof name === 'string' ? name : null,
    created_at: typeof createdAt === 'string' ? createdAt : null,
    headers: stringHeaders,
  };
}

export function createRootfiClient(ctx: ConnectorContext<RootfiCredentials>): RootfiClient {
  const base = `${ctx.baseUrl.replace(/\/+$/, '')}${WEBHOOKS_PATH}`;
  // The OpenAPI securityScheme is an `api_key` header, not Authorization (VENDORS.md §4.3).
  const auth = () => ({ api_key: ctx.credentials.apiKey });
  const hookUrl = (id: string) => `${base}/${encodeURIComponent(id)}`;

  return {
    async list() {
      const res = await ctx.http.send({ method: 'GET', url: base, headers: auth() });
      const data = isObject(res.body) ? res.body['data'] : undefined;
      if (!Array.isArray(data)) throw unreadableAnswer(PROVIDER, 'a webhook list', res);
      return data.map((item) => {
        const hook = narrowWebhook(item);
        if (!hook) throw unreadableAnswer(PROVIDER, 'a webhook list', res);
        return toRemoteWebhook(hook);
      });
    },

    async create(group, spec) {
      // Create wraps the fields in `webhook` and answers the bare object (seed).
      const body: RootfiCreateBody = { webhook: toWebhookFields(group, spec) };
      const res = await ctx.http.send({ method: 'POST', url: base, headers: auth(), json: body });
      const hook = narrowWebhook(res.body);
      if (!hook) throw unreadableAnswer(PROVIDER, 'a created webhook', res);
      return toRemoteWebhook(hook);
    },

    async update(id, group, spec) {
      // Update takes the fields unwrapped and answers `{data}`, unlike create (VENDORS.md §4.1).
      const body: RootfiWebhookFields = toWebhookFields(group, spec);
      const res = await ctx.http.send({ method: 'PUT', url: hookUrl(id), headers: auth(), json: body });
      const hook = narrowWebhook(isObject(res.body) ? res.body['data'] : undefined);
      if (!hook) throw unreadableAnswer(PROVIDER, 'an updated webhook', res);
      return toRemoteWebhook(hook);
    },

    async remove(id) {
      await ctx.http.send({ method: 'DELETE', url: hookUrl(id), headers: auth(), acceptStatus: [404] });
    },
  };
}
