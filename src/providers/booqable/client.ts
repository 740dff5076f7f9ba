import { type HttpResponse, unreadableAnswer } from '../http.js';
import type { ConnectorContext } from '../types.js';
import type { BooqableEndpointWire, BooqableListParams, BooqableResourceBody } from './wire.js';
import { isObject } from '../json.js';

export interface BooqableCredentials {
  apiKey: string;
}

/** Accepts a list item (flattened in the docs) or a JSON:API resource (`{id, type, attributes}`). */
function narrowEndpoint(v: unknown): BooqableEndpointWire | null {
  if (!isObject(v) || typeof v['id'] !== 'string') return null;
  const a = isObject(v['attributes']) ? v['attributes'] : v;
  const { url, events, version, created_at: createdAt, updated_at: updatedAt } = a;
  if (typeof url !== 'string' || !Array.isArray(events) || !events.every((e) => typeof e === 'string')) return null;
  return {
    id: v['id'],
    url,
    events,
    ...(typeof version === 'number' || typeof version === 'string' ? { version: Number(version) } : {}),
    ...(typeof createdAt === 'string' ? { created_at: createdAt } : {}),
    ...(typeof updatedAt === 'string' ? { updated_at: updatedAt } : {}),
  };
}

/**
 * The API root: `/api/4` today, `/api/boomerang` in the seed's era (VENDORS.md §2.1). A baseUrl that
 * already ends in one of them selects it; a bare company origin gets `/api/4`.
 */
export function apiRoot(baseUrl: string): { root: string; legacy: boolean } {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (trimmed.endsWith('/api/boomerang')) return { root: trimmed, legacy: true };
  if (trimmed.endsWith('/api/4')) return { root: trimmed, legacy: false };
  return { root: `${trimmed}/api/4`, legacy: false };
}

/** JSON:API query parameters: `page[number]`, `filter[url][prefix]`, `sort`, `fields[webhook_endpoints]`. */
export function listQuery(params: BooqableListParams): Record<string, string> {
  const q: Record<string, string> = {};
  if (params.page?.number !== undefined) q['page[number]'] = String(params.page.number);
  if (params.page?.size !== undefined) q['page[size]'] = String(params.page.size);
  for (const [attr, ops] of Object.entries(params.filter ?? {}))
    for (const [op, value] of Object.entries(ops)) q[`filter[${attr}][${op}]`] = value;
  if (params.sort) q['sort'] = params.sort;
  if (params.fields?.length) q['fields[webhook_endpoints]'] = params.fields.join(',');
  return q;
}

export function createBooqableClient(ctx: ConnectorContext<BooqableCredentials>) {
  const { root, legacy } = apiRoot(ctx.baseUrl);
  const collection = `${root}/webhook_endpoints`;
  const headers = () => ({ authorization: `Bearer ${ctx.credentials.apiKey}` });

  function single(res: HttpResponse, what: string): BooqableEndpointWire {
    const hook = narrowEndpoint(isObject(res.body) ? res.body['data'] : undefined);
    if (!hook) throw unreadableAnswer('BOOQABLE', what, res);
    return hook;
  }

  function body(url: string, events: readonly string[], version: string | null, id?: string): BooqableResourceBody {
    // `version` selects the payload format on /api/4 only; boomerang endpoints always deliver v1.
    const attributes = { url, events: [...events], ...(legacy ? {} : { version: Number(version ?? 4) }) };
    return { data: { type: 'webhook_endpoints', ...(id ? { id } : {}), attributes } };
  }

  return {
    legacy,
    async list(params: BooqableListParams = {}): Promise<BooqableEndpointWire[]> {
      const res = await ctx.http.send({ method: 'GET', url: collection, query: listQuery(params), headers: headers() });
      const data = isObject(res.body) ? res.body['data'] : undefined;
      if (!Array.isArray(data)) throw unreadableAnswer('BOOQABLE', 'a webhook endpoint list', res);
      const hooks = data.map(narrowEndpoint);
      if (hooks.some((h) => h === null)) throw unreadableAnswer('BOOQABLE', 'a webhook endpoint list', res);
      return hooks as BooqableEndpointWire[];
    },
    async create(url: string, events: readonly string[], version: string | null): Promise<BooqableEndpointWire> {
      const res = await ctx.http.send({ method: 'POST', url: collection, headers: headers(), json: body(url, events, version) });
      return single(res, 'a created webhook endpoint');
    },
    async update(id: string, url: string, events: readonly string[], version: string | null): Promise<BooqableEndpointWire> {
      const res = await ctx.http.send({
        method: 'PUT',
        url: `${collection}/${encodeURIComponent(id)}`,
        headers: headers(),
        json: body(url, events, version, id),
      });
      return single(res, 'an updated webhook endpoint');
    },
    async remove(id: string): Promise<void> {
      await ctx.http.send({ method: 'DELETE', url: `${collection}/${encodeURIComponent(id)}`, headers: headers(), acceptStatus: [404] });
    },
  };
}
