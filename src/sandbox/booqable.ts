import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import qs from 'qs';
import { booqableEventTypes } from '../providers/booqable/catalog.js';
import { createSandboxRecorder, sandboxControls, deliver, header, sendJson } from './common.js';
import type { SandboxVendor, TriggerOptions } from './types.js';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  /** null on /api/boomerang, which has no version attribute (deliveries are v1). */
  version: number | null;
  created_at: string;
  updated_at: string;
}

const COLLECTION = /^\/api\/(4|boomerang)\/webhook_endpoints\/?$/;
const MEMBER = /^\/api\/(4|boomerang)\/webhook_endpoints\/([^/]+)\/?$/;
const known = new Set(booqableEventTypes.map((e) => e.name));
/** Booqable's timestamp format: `2020-05-19T04:30:06.000000+00:00`. */
const stamp = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

const jsonApiError = (status: number, title: string, detail: string) => ({ errors: [{ status: String(status), title, detail }] });

/** v1 class names and v4 JSON:API types per resource noun (VENDORS.md §2.3). */
function resourceNames(event: string): { object: string; type: string } {
  const noun = event.split('.')[0] ?? 'order';
  const object = noun.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
  return {
    object: noun === 'app' ? 'AppInstallation' : object,
    type: noun === 'app' ? 'app_installations' : noun === 'company' ? 'companies' : `${noun}s`,
  };
}

/**
 * Booqable's JSON:API `webhook_endpoints` on `/api/4` and `/api/boomerang`: Bearer token auth
 * (`sbx-bq-<account>`), paged/filtered/sorted list, create 201, PUT, DELETE answering the record with
 * `events: []`. Deliveries: v1 form-encoded, v4 JSON (VENDORS.md §2.3).
 */
export function createBooqableSandbox(): SandboxVendor {
  const recorder = createSandboxRecorder();
  const accounts = new Map<string, Endpoint[]>();
  const endpointsOf = (account: string) => accounts.get(account) ?? accounts.set(account, []).get(account) ?? [];
  const resource = (e: Endpoint, legacy: boolean) => ({
    id: e.id,
    type: 'webhook_endpoints',
    attributes: {
      created_at: e.created_at,
      updated_at: e.updated_at,
      url: e.url,
      events: e.events,
      ...(legacy ? {} : { version: e.version ?? 1 }),
    },
  });

  function validate(body: unknown, legacy: boolean): { url: string; events: string[]; version: number | null } | string {
    const data = (body as { data?: { type?: unknown; attributes?: Record<string, unknown> } } | null)?.data;
    if (data?.type !== 'webhook_endpoints' || !data.attributes) return 'data must be a webhook_endpoints resource';
    const { url, events, version } = data.attributes;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) return 'url is invalid';
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && known.has(e)))
      return 'events must be known event names';
    if (legacy) return { url, events: events as string[], version: null };
    if (version !== undefined && version !== 1 && version !== 4) return 'version must be 1 or 4';
    return { url, events: events as string[], version: (version as number | undefined) ?? 1 };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    const account = /^Bearer sbx-bq-(.+)$/.exec(header(r, 'authorization') ?? '')?.[1];
    if (!account) return sendJson(res, 401, jsonApiError(401, 'Unauthorized', 'A valid access token is required'));
    const list = endpointsOf(account);
    const col = COLLECTION.exec(path);
    if (col && r.method === 'GET') {
      let items = list.slice();
      for (const [k, v] of Object.entries(r.query)) {
        const f = /^filter\[(\w+)\]\[(\w+)\]$/.exec(k);
        if (!f) continue;
        const [, attr, op] = f;
        const value = (e: Endpoint) => String(e[attr as keyof Endpoint] ?? '');
        if (op === 'eq') items = items.filter((e) => value(e) === v);
        else if (op === 'not_eq') items = items.filter((e) => value(e) !== v);
        else if (op === 'prefix') items = items.filter((e) => value(e).startsWith(v));
        else return sendJson(res, 400, jsonApiError(400, 'Bad Request', `unsupported filter ${k}`));
      }
      for (const key of (r.query['sort'] ?? '').split(',').filter(Boolean).reverse()) {
        const desc = key.startsWith('-');
        const attr = (desc ? key.slice(1) : key) as keyof Endpoint;
        items.sort((a, b) => String(a[attr]).localeCompare(String(b[attr])) * (desc ? -1 : 1));
      }
      const size = Number(r.query['page[size]'] ?? 25);
      const number = Number(r.query['page[number]'] ?? 1);
      const page = items.slice((number - 1) * size, number * size);
      // List items come flattened, as in the docs' samples.
      return sendJson(res, 200, { data: page.map((e) => ({ ...resource(e, col[1] === 'boomerang').attributes, id: e.id })), meta: {} });
    }
    if (col && r.method === 'POST') {
      const v = validate(r.body, col[1] === 'boomerang');
      if (typeof v === 'string') return sendJson(res, 422, jsonApiError(422, 'Unprocessable Entity', v));
      const now = stamp();
      const e: Endpoint = { id: randomUUID(), ...v, created_at: now, updated_at: now };
      list.push(e);
      return sendJson(res, 201, { data: resource(e, col[1] === 'boomerang'), meta: {} });
    }
    const member = MEMBER.exec(path);
    const e = member ? list.find((x) => x.id === member[2]) : undefined;
    if (member && !e) return sendJson(res, 404, jsonApiError(404, 'Not Found', 'webhook endpoint not found'));
    if (member && e && r.method === 'PUT') {
      const v = validate(r.body, member[1] === 'boomerang');
      if (typeof v === 'string') return sendJson(res, 422, jsonApiError(422, 'Unprocessable Entity', v));
      Object.assign(e, v, { updated_at: stamp() });
      return sendJson(res, 200, { data: resource(e, member[1] === 'boomerang'), meta: {} });
    }
    if (member && e && r.method === 'DELETE') {
      accounts.set(
        account,
        list.filter((x) => x !== e),
      );
      return sendJson(res, 200, { data: resource({ ...e, events: [] }, member[1] === 'boomerang'), meta: {} });
    }
    return sendJson(res, 404, jsonApiError(404, 'Not Found', 'no such route'));
  }

  async function trigger(eventType: string, { account }: TriggerOptions) {
    const { object, type } = resourceNames(eventType);
    const data = {
      id: randomUUID(),
      created_at: stamp(),
      updated_at: stamp(),
      number: 1042,
      status: 'reserved',
      customer_id: randomUUID(),
    };
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    return Promise.all(
      endpointsOf(account)
        .filter((e) => e.events.includes(eventType))
        .map((e) =>
          e.version === 4
            ? deliver(e.url, JSON.stringify({ id, created_at: createdAt, event: eventType, resource_type: type, data }), {
                'content-type': 'application/json',
              })
            : deliver(e.url, qs.stringify({ id, created_at: createdAt, event: eventType, object, data }), {
                'content-type': 'application/x-www-form-urlencoded',
              }),
        ),
    );
  }

  return {
    provider: 'BOOQABLE',
    handle,
    basePath: () => '',
    credentialsFor: (account) => ({ apiKey: `sbx-bq-${account}` }),
    trigger,
    ...sandboxControls(recorder, () => accounts.clear()),
  };
}
