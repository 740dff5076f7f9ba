import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import qs from 'qs';
import { booqableEventAliases, booqableEventTypes } from '../providers/booqable/catalog.js';
import type { BooqableApiPath, BooqableErrorDocument, BooqablePayloadVersion } from '../providers/booqable/wire.js';
import { isObject, type Json } from '../providers/json.js';
import { createApiKeyAccounts } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxDelivery, SandboxRequest, SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  /** Boomerang-created endpoints are version 1: that API had no version attribute. */
  version: BooqablePayloadVersion;
  created_at: string;
  updated_at: string;
}

type Answer = { status: number; body: unknown };

interface State {
  endpoints: Endpoint[];
}

const KEY_PREFIX = 'sbx-bq-';

/** `/<company>/api/(4|boomerang)/webhook_endpoints[/<id>]`: the company segment stands for `<company>.booqable.com`. */
const ROUTE = /^\/([^/]+)\/api\/(4|boomerang)\/webhook_endpoints(?:\/([^/]+))?\/?$/;
const KNOWN_EVENTS = new Set(booqableEventTypes.map((e) => e.name));
const DEFAULT_PAGE_SIZE = 25;
/**
 * Booqable documents no largest page size. The sandbox answers at most 50 items a page, whatever
 * `page[size]` asks: a client asking for more meets short pages that are not the last, and must page
 * by `meta[total]`.
 */
export const BOOQABLE_SANDBOX_MAX_PAGE_SIZE = 50;

/** Booqable's timestamp format: `2020-05-19T04:30:06.000000+00:00` (microseconds, explicit offset). */
const stamp = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

const error = (status: number, title: string, detail: string, pointer?: string): Answer => {
  const doc: BooqableErrorDocument = {
    errors: [{ status: String(status), title, detail, ...(pointer !== undefined && { source: { pointer } }) }],
  };
  return { status, body: doc };
};
const unprocessable = (attr: string, detail: string) => error(422, 'Unprocessable Entity', `${attr} ${detail}`, `/data/attributes/${attr}`);

/** Attribute value as Booqable filters and sorts it. */
function attr(e: Endpoint, name: string): string {
  const v = e[name as keyof Endpoint];
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** Documented filters (VENDORS.md §2.1): attribute → operators. `version` exists on /api/4 only. */
const DATE_OPS = ['eq', 'not_eq', 'gt', 'gte', 'lt', 'lte'];
const FILTERS: Record<string, string[]> = {
  created_at: DATE_OPS,
  updated_at: DATE_OPS,
  id: ['eq', 'not_eq'],
  url: ['eq', 'not_eq', 'eql', 'not_eql', 'prefix', 'not_prefix', 'suffix', 'not_suffix', 'match', 'not_match'],
  version: ['eq'],
};
const SORTABLE = new Set(['created_at', 'updated_at', 'url', 'id', 'version']);
const FIELDS = new Set(['created_at', 'updated_at', 'url', 'events', 'version']);

/** Graphiti-style semantics: `eq` is case-insensitive for strings, `eql` exact; `match` is a case-insensitive contains. */
function matches(e: Endpoint, name: string, op: string, value: string): boolean {
  const v = attr(e, name);
  if (name === 'created_at' || name === 'updated_at') {
    const a = Date.parse(v);
    const b = Date.parse(value);
    if (op === 'eq') return a === b;
    if (op === 'not_eq') return a !== b;
    if (op === 'gt') return a > b;
    if (op === 'gte') return a >= b;
    if (op === 'lt') return a < b;
    return a <= b;
  }
  const lv = v.toLowerCase();
  const lval = value.toLowerCase();
  switch (op) {
    case 'eq':
      return name === 'url' ? lv === lval : v === value;
    case 'not_eq':
      return name === 'url' ? lv !== lval : v !== value;
    case 'eql':
      return v === value;
    case 'not_eql':
      return v !== value;
    case 'prefix':
      return lv.startsWith(lval);
    case 'not_prefix':
      return !lv.startsWith(lval);
    case 'suffix':
      return lv.endsWith(lval);
    case 'not_suffix':
      return !lv.endsWith(lval);
    case 'match':
      return lv.includes(lval);
    default:
      return !lv.includes(lval);
  }
}

/** What a v1/v4 payload calls the resource an event is about (VENDORS.md §2.3, [BQ-docs] _webhooks.md). */
function resourceNames(noun: string): { object: string; resourceType: string } {
  if (noun === 'app') return { object: 'AppInstallation', resourceType: 'app_installations' };
  if (noun === 'company') return { object: 'Company', resourceType: 'companies' };
  return { object: noun.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase()), resourceType: `${noun}s` };
}

/**
 * A realistic `data` for an event: the resource's attributes plus the relations Booqable nests for it
 * (VENDORS.md §2.3 table). v1 and v4 differ in the order status name (`concept` → `draft`).
 */
function sampleData(eventType: string, version: BooqablePayloadVersion, account: string): Json {
  const [noun = 'order', action = 'updated'] = eventType.split('.');
  const now = stamp();
  const base = { id: randomUUID(), created_at: now, updated_at: now };
  const customer = { ...base, id: randomUUID(), number: 17, name: 'Jane Doe', email: 'jane@example.com', archived: false };
  const line = { id: randomUUID(), title: 'Tent 4p', quantity: 2, price_each_in_cents: 2500, price_in_cents: 5000 };
  const productGroup = { id: randomUUID(), name: 'Tent 4p', slug: 'tent-4p', sku: 'TENT4', trackable: true, archived: false };
  const archived = action === 'archived' ? { archived: true, archived_at: now } : { archived: false, archived_at: null };
  switch (noun) {
    case 'customer':
      return { ...customer, ...base, ...archived, legal_type: 'person', deposit_type: 'default', barcode: null, tax_region: null };
    case 'product_group':
      return { ...productGroup, ...base, ...archived, price_type: 'simple', price_period: 'day', base_price_in_cents: 2500, photo: null };
    case 'product':
      return { ...base, name: 'Tent 4p - green', sku: 'TENT4-G', product_group_id: productGroup.id, barcode: null };
    case 'invoice':
    case 'contract':
    case 'quote':
      return {
        ...base,
        ...archived,
        number: 1042,
        document_type: noun,
        finalized: action === 'finalized' || noun !== 'invoice',
        signed: action === 'signed',
        confirmed: action === 'confirmed',
        revision: action === 'revised' ? 2 : 1,
        customer_id: customer.id,
        grand_total_with_tax_in_cents: 5000,
        customer,
        lines: [line],
        order: { id: randomUUID(), number: 311 },
        coupon: null,
        tax_values: [],
      };
    case 'payment':
      return { ...base, amount_in_cents: 5000, currency: 'usd', mode: 'manual', status: 'succeeded', order_id: randomUUID() };
    case 'cart':
      return { ...base, item_count: 2, grand_total_with_tax_in_cents: 5000, customer, lines: [line], order: { id: randomUUID() } };
    case 'app':
      // The app installation itself; the four app events differ only in `event` ([BQ-docs] apps/general/_webhooks.md).
      return {
        ...base,
        identifier: 'mailchimp',
        app_id: randomUUID(),
        plan_id: randomUUID(),
        configured: action !== 'installed',
        settings: {},
      };
    case 'bundle':
      return {
        ...base,
        ...archived,
        name: 'Camping set',
        slug: 'camping-set',
        bundle_items: [{ id: randomUUID(), quantity: 1, product_group: productGroup }],
      };
    case 'bundle_item':
      return {
        ...base,
        quantity: 1,
        bundle_id: randomUUID(),
        product_group_id: productGroup.id,
        product_group: productGroup,
        product: null,
      };
    case 'company':
      return { ...base, name: 'Acme Rentals', slug: account, email: 'office@acme.example', currency: 'usd', time_zone: 'UTC' };
    default: {
      const status: Record<string, string> = {
        saved_as_concept: version === 1 ? 'concept' : 'draft',
        saved_as_draft: version === 1 ? 'concept' : 'draft',
        reserved: 'reserved',
        started: 'started',
        stopped: 'stopped',
        canceled: 'canceled',
        archived: 'archived',
        reverted: 'new',
      };
      const s = (Object.hasOwn(status, action) ? status[action] : undefined) ?? 'reserved';
      return {
        ...base,
        number: 311,
        status: s,
        statuses: [s],
        starts_at: now,
        stops_at: stamp(new Date(Date.now() + 3 * 86_400_000)),
        payment_status: 'paid',
        customer_id: customer.id,
        start_location_id: randomUUID(),
        grand_total_with_tax_in_cents: 5000,
        customer,
        lines: [line],
        notes: [],
        plannings: [],
        properties: [],
        tax_values: [],
        coupon: null,
      };
    }
  }
}

/**
 * Booqable's JSON:API `webhook_endpoints` for each simulated company, on `/api/4` and
 * `/api/boomerang` (VENDORS.md §2.1): one company per account (its id is the company segment of the
 * URL) with a random Bearer token, paged (at most BOOQABLE_SANDBOX_MAX_PAGE_SIZE a page, with
 * `meta[total][]=count`), filtered, sorted and sparse-fieldset lists (items flattened as the docs show them), create 201, PUT, DELETE answering the record with `events: []`,
 * JSON:API error documents. Deliveries: version 1 form-urlencoded, version 4 JSON (VENDORS.md §2.3).
 */
export function createBooqableSandbox(options: SandboxVendorOptions = {}): SandboxVendor {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  const { accounts, authenticate } = createApiKeyAccounts<State>({
    provider: 'BOOQABLE',
    prefix: KEY_PREFIX,
    store,
    initialState: () => ({ endpoints: [] }),
  });

  /** Sparse fieldsets (`fields[webhook_endpoints]=url,events`); `version` is absent on boomerang. */
  function attributesOf(e: Endpoint, api: BooqableApiPath, fields: string[] | null): Json {
    const all: Json = { created_at: e.created_at, updated_at: e.updated_at, url: e.url, events: e.events };
    if (api === '4') all['version'] = e.version;
    return fields ? Object.fromEntries(Object.entries(all).filter(([k]) => fields.includes(k))) : all;
  }
  const resource = (e: Endpoint, api: BooqableApiPath, fields: string[] | null) => ({
    id: e.id,
    type: 'webhook_endpoints',
    attributes: attributesOf(e, api, fields),
  });

  function fieldsOf(r: SandboxRequest): string[] | null | Answer {
    const raw = r.query['fields[webhook_endpoints]'];
    if (raw === undefined) return null;
    const fields = raw.split(',').filter(Boolean);
    const bad = fields.find((f) => !FIELDS.has(f));
    return bad ? error(400, 'Bad Request', `unknown field ${bad}`) : fields;
  }

  function list(r: SandboxRequest, endpoints: Endpoint[], api: BooqableApiPath): Answer {
    let items = endpoints.slice();
    for (const [key, value] of Object.entries(r.query)) {
      const f = /^filter\[(\w+)\](?:\[(\w+)\])?$/.exec(key);
      if (!f) continue;
      const [, name = '', op = 'eq'] = f;
      if (!Object.hasOwn(FILTERS, name) || !FILTERS[name]?.includes(op) || (name === 'version' && api !== '4')) {
        return error(400, 'Bad Request', `filter ${name} does not support operator ${op}`);
      }
      items = items.filter((e) => matches(e, name, op, value));
    }
    for (const key of (r.query['sort'] ?? '').split(',').filter(Boolean).reverse()) {
      const desc = key.startsWith('-');
      const name = desc ? key.slice(1) : key;
      if (!SORTABLE.has(name)) return error(400, 'Bad Request', `cannot sort on ${name}`);
      items.sort((a, b) => attr(a, name).localeCompare(attr(b, name)) * (desc ? -1 : 1));
    }
    const size = Math.min(BOOQABLE_SANDBOX_MAX_PAGE_SIZE, Number(r.query['page[size]'] ?? DEFAULT_PAGE_SIZE));
    const number = Number(r.query['page[number]'] ?? 1);
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(number) || number < 1) {
      return error(400, 'Bad Request', 'page[number] and page[size] must be positive integers');
    }
    const fields = fieldsOf(r);
    if (fields !== null && !Array.isArray(fields)) return fields;
    const page = items.slice((number - 1) * size, number * size);
    // `meta[total][]=count` counts the whole filtered list, not the page (`meta` is `{}` otherwise).
    const meta = r.query['meta[total][]'] === 'count' ? { total: { count: items.length } } : {};
    const body: Json = { data: page.map((e) => ({ id: e.id, ...attributesOf(e, api, fields) })), meta };
    return { status: 200, body };
  }

  /** Reads a JSON:API document; `partial` for PUT, where absent attributes keep their value. */
  function readDocument(r: SandboxRequest, api: BooqableApiPath, partial: boolean, id?: string): Answer | Partial<Endpoint> {
    const data = isObject(r.body) ? r.body['data'] : undefined;
    if (!isObject(data) || data['type'] !== 'webhook_endpoints')
      return error(400, 'Bad Request', 'data must be a webhook_endpoints resource');
    if (id !== undefined && data['id'] !== undefined && data['id'] !== id)
      return error(400, 'Bad Request', 'data.id does not match the URL');
    const attrs = isObject(data['attributes']) ? data['attributes'] : {};
    const unknown = Object.keys(attrs).find((k) => !['url', 'events', ...(api === '4' ? ['version'] : [])].includes(k));
    if (unknown) return error(400, 'Bad Request', `unknown attribute ${unknown}`);
    const out: Partial<Endpoint> = {};
    const { url, events, version } = attrs;
    if (url !== undefined || !partial) {
      if (typeof url !== 'string' || url.trim() === '') return unprocessable('url', "can't be blank");
      if (!/^https?:\/\/[^\s/]+\S*$/.test(url)) return unprocessable('url', 'is invalid');
      if (!acceptsDeliveryUrl(url)) return unprocessable('url', 'is not a delivery URL of this gateway');
      out.url = url;
    }
    if (events !== undefined || !partial) {
      if (!Array.isArray(events) || events.length === 0) return unprocessable('events', "can't be blank");
      const bad = events.find((e) => typeof e !== 'string' || !KNOWN_EVENTS.has(e));
      if (bad !== undefined) return unprocessable('events', `contains an unknown event: ${String(bad)}`);
      out.events = [...new Set(events as string[])];
    }
    if (version !== undefined) {
      const n = typeof version === 'string' ? Number(version) : version;
      if (n !== 1 && n !== 4) return unprocessable('version', 'is not included in the list');
      out.version = n;
    } else if (!partial) {
      out.version = 1; // "Version 1 (default)"
    }
    return out;
  }

  function route(r: SandboxRequest, endpoints: Endpoint[], api: BooqableApiPath, id: string | undefined): Answer {
    if (id === undefined) {
      if (r.method === 'GET') return list(r, endpoints, api);
      if (r.method !== 'POST') return error(405, 'Method Not Allowed', `${r.method} is not allowed here`);
      const fields = fieldsOf(r);
      if (fields !== null && !Array.isArray(fields)) return fields;
      const doc = readDocument(r, api, false);
      if ('status' in doc) return doc as Answer;
      if (endpoints.length >= MAX_HOOKS_PER_ACCOUNT)
        return error(422, 'Unprocessable Entity', `at most ${MAX_HOOKS_PER_ACCOUNT} webhook endpoints`);
      const now = stamp();
      const e: Endpoint = { id: randomUUID(), url: '', events: [], version: 1, ...doc, created_at: now, updated_at: now };
      endpoints.push(e);
      return { status: 201, body: { data: resource(e, api, fields), meta: {} } };
    }
    const e = endpoints.find((x) => x.id === id);
    if (!e) return error(404, 'Not Found', 'The specified resource could not be found');
    const fields = fieldsOf(r);
    if (fields !== null && !Array.isArray(fields)) return fields;
    if (r.method === 'PUT' || r.method === 'PATCH') {
      const doc = readDocument(r, api, true, id);
      if ('status' in doc) return doc as Answer;
      Object.assign(e, doc, { updated_at: stamp() });
      return { status: 200, body: { data: resource(e, api, fields), meta: {} } };
    }
    if (r.method === 'DELETE') {
      endpoints.splice(endpoints.indexOf(e), 1);
      return { status: 200, body: { data: resource({ ...e, events: [] }, api, fields), meta: {} } };
    }
    // There is no GET /webhook_endpoints/{id} (VENDORS.md §2.1).
    return error(405, 'Method Not Allowed', `${r.method} is not allowed here`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    const m = ROUTE.exec(path);
    if (!m) {
      const answer = error(404, 'Not Found', 'The specified resource could not be found');
      return sendJson(res, answer.status, answer.body);
    }
    const [, company = '', api = '4', rawId] = m;
    const account = await authenticate(/^Bearer (.+)$/.exec(header(r, 'authorization') ?? '')?.[1]);
    // The token must be the company's own: another company's valid token is as good as none.
    if (!account || account !== company) {
      const answer = error(401, 'Unauthorized', 'You are not authenticated');
      return sendJson(res, answer.status, answer.body);
    }
    let id: string | undefined;
    try {
      id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    } catch {
      const answer = error(404, 'Not Found', 'The specified resource could not be found');
      return sendJson(res, answer.status, answer.body);
    }
    const answer = await accounts.change(account, ({ state }) => route(r, state.endpoints, api as BooqableApiPath, id));
    sendJson(res, answer.status, answer.body);
  }

  /**
   * One notification per subscribed endpoint, each with its own uuid, in that endpoint's version:
   * v1 as a Rails-style nested form (`data[lines][0][id]=…`, built with qs), v4 as JSON.
   */
  async function trigger(eventType: string, { account }: TriggerOptions): Promise<SandboxDelivery[]> {
    if (!KNOWN_EVENTS.has(eventType)) throw new Error(`Booqable has no event ${eventType}`);
    const alias = Object.hasOwn(booqableEventAliases, eventType) ? booqableEventAliases[eventType] : undefined;
    const noun = eventType.split('.')[0] ?? 'order';
    const { object, resourceType } = resourceNames(noun);
    const endpoints = (await accounts.read(account))?.state.endpoints ?? [];
    const targets = endpoints.filter(
      (e) => (e.events.includes(eventType) || (alias !== undefined && e.events.includes(alias))) && acceptsDeliveryUrl(e.url),
    );
    return Promise.all(
      targets.map((e) => {
        const envelope = { id: randomUUID(), created_at: stamp(), event: eventType };
        const data = sampleData(eventType, e.version, account);
        return e.version === 4
          ? deliver(e.url, JSON.stringify({ ...envelope, resource_type: resourceType, data }), { 'content-type': 'application/json' })
          : deliver(e.url, qs.stringify({ ...envelope, object, data }), { 'content-type': 'application/x-www-form-urlencoded' });
      }),
    );
  }

  return {
    provider: 'BOOQABLE',
    handle,
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: `/${account}`, credentials };
    },
    accountOf: (credentials) => authenticate(stringField(credentials, 'apiKey')),
    // Account ids are URL-safe ([A-Za-z0-9_-]): the company segment is the id itself.
    basePath: (account) => `/${account}`,
    credentialsFor: (name, form) => accounts.fixture(name, form),
    trigger,
    ...sandboxControls(recorder, accounts.reset),
  };
}
