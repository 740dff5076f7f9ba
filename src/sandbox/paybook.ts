import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { paybookV1EventTypes, paybookV3EventTypes } from '../providers/paybook/catalog.js';
import { PAYBOOK_ENVIRONMENTS, type PaybookWebhookWire } from '../providers/paybook/wire.js';
import { createApiKeyAccounts } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxDelivery, SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

interface Hook extends PaybookWebhookWire {
  headers: Record<string, string>;
}

/** A V3 subscription as the sandbox keeps it; answered with `id_subscription` (the Postman path's name for its id). */
interface Subscription {
  id_subscription: string;
  id_environment: string;
  description: string;
  /** Catalogue ids. */
  events: string[];
  group_events: number;
  url: string;
  dt_created: number;
  dt_modified: number | null;
}

interface State {
  hooks: Hook[];
  /** Absent in states saved before V3 subscriptions. */
  subscriptions?: Subscription[];
}

const KEY_PREFIX = 'sbx-pb-';

const mongoId = () => randomBytes(12).toString('hex');
const known = new Set(paybookV1EventTypes.map((e) => e.name));
/**
 * The same event's name in the other generation, paired by unified type (`credential_create` and `credentials.created`
 * are both `credential.created`): a V3 delivery keeps the V1 name inside its payload (VENDORS.md §3.4); an event only
 * one generation has keeps its own name.
 */
const V3_NAME_OF = new Map(
  paybookV1EventTypes.flatMap((v1) => {
    const v3 = paybookV3EventTypes.find((e) => e.unifiedType === v1.unifiedType);
    return v3 ? [[v1.name, v3.name] as const] : [];
  }),
);
const V1_NAME_OF = new Map([...V3_NAME_OF].map(([v1, v3]) => [v3, v1]));
/** The V3 catalogue (GET /v1/catalogues/webhook3_events): ids are 24 hex digits, the same in every account. */
const v3Catalogue = paybookV3EventTypes.map((e) => ({
  id_webhook_event: createHash('sha256').update(`paybook-v3-event:${e.name}`).digest('hex').slice(0, 24),
  name: e.name,
}));
const v3IdOf = new Map(v3Catalogue.map((e) => [e.name, e.id_webhook_event]));
const v3Ids = new Set(v3IdOf.values());
const environments = new Set(PAYBOOK_ENVIRONMENTS.values());

/** `{rid, code, errors, status, message, response}` on every answer, errors included. */
function envelope(res: ServerResponse, code: number, response: unknown, message: string | null = null): void {
  sendJson(res, code, { rid: randomUUID(), code, errors: code >= 400 ? [{ message }] : null, status: code < 400, message, response });
}

/** `2023-06-16 19:06:18.944575+0000`: Paybook V3's own time format. */
function v3Time(d = new Date()): string {
  return `${d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.(\d{3})Z$/, '.$1000')}+0000`;
}

/** The one Paybook user of a sandbox account, whose id every delivery of the account carries. */
const userOf = (account: string) => createHash('sha256').update(`paybook-user:${account}`).digest('hex').slice(0, 24);

/** A notification the receiver did not answer with a 2xx counts as failed (`ct_failed`). */
const failed = (d: SandboxDelivery) => d.status === null || d.status < 200 || d.status >= 300;

/**
 * Paybook Sync V1 webhooks (seed, VENDORS.md §3): `Authorization: api_key api_key=<key>` with a
 * random key per account, envelopes, 24-hex ids, dt_created as unix seconds (as the real API
 * answers). `id_user` limits a hook to one user's events (each account has one user, `userOf`);
 * `delay` is checked and kept but not waited for, since a trigger answers with each delivery's
 * status; every failed notification adds one to the hook's `ct_failed` (never reset: the vendor's
 * rule for resetting or disabling is undocumented). Deliveries: V1 flat, or V3 batched (`shape:
 * 'v3'`, `'v3-batch'` with two items), with the hook's custom headers.
 *
 * V3 subscriptions (VENDORS.md §3.2, from Postman): list, get, create, PUT and delete under
 * `/v1/webhooks/subscriptions`, events as ids of `/v1/catalogues/webhook3_events`, `id_environment` required; answers
 * carry the subscription with `id_subscription`. They take no custom headers and receive V3 envelopes only.
 */
export function createPaybookSandbox(options: SandboxVendorOptions = {}): SandboxVendor & { userOf(account: string): string } {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  const { accounts, authenticate } = createApiKeyAccounts<State>({
    provider: 'PAYBOOK',
    prefix: KEY_PREFIX,
    store,
    initialState: () => ({ hooks: [] }),
  });
  const wire = ({ headers: _h, ...w }: Hook): PaybookWebhookWire => w;

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    const account = await authenticate(/^api_key api_key=(.+)$/.exec(header(r, 'authorization') ?? '')?.[1]);
    if (!account) return envelope(res, 401, null, 'Unauthorized');
    if (path === '/v1/webhooks' && r.method === 'GET') {
      const state = (await accounts.read(account))?.state ?? { hooks: [] };
      return envelope(res, 200, state.hooks.map(wire));
    }
    if (path === '/v1/webhooks' && r.method === 'POST') {
      const b = (r.body ?? {}) as Record<string, unknown>;
      if (typeof b['url'] !== 'string' || !/^https?:\/\//.test(b['url'])) return envelope(res, 400, null, 'url is required');
      if (!acceptsDeliveryUrl(b['url'])) return envelope(res, 400, null, 'url must be a delivery URL of this gateway');
      const events = b['events'];
      if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && known.has(e))) {
        return envelope(res, 400, null, 'events must be credential_create, credential_update, refresh or documents_completed');
      }
      const idUser = b['id_user'] ?? null;
      if (idUser !== null && (typeof idUser !== 'string' || !/^[0-9a-f]{24}$/.test(idUser))) {
        return envelope(res, 400, null, 'id_user must be a user id or null');
      }
      const delay = b['delay'] ?? 0;
      if (typeof delay !== 'number' || !Number.isSafeInteger(delay) || delay < 0) {
        return envelope(res, 400, null, 'delay must be a whole number of seconds');
      }
      const rawHeaders = b['headers'];
      const headers =
        typeof rawHeaders === 'object' && rawHeaders !== null && Object.values(rawHeaders).every((v) => typeof v === 'string')
          ? (rawHeaders as Record<string, string>)
          : {};
      const hook: Hook = {
        id_webhook: mongoId(),
        id_user: idUser,
        is_disabled: 0,
        events: events as string[],
        url: b['url'],
        delay,
        ct_failed: 0,
        dt_created: Math.floor(Date.now() / 1000),
        dt_modified: null,
        headers,
      };
      const added = await accounts.change(account, ({ state }) => {
        if (state.hooks.length >= MAX_HOOKS_PER_ACCOUNT) return false;
        state.hooks.push(hook);
        return true;
      });
      return added ? envelope(res, 200, wire(hook)) : envelope(res, 400, null, `at most ${MAX_HOOKS_PER_ACCOUNT} webhooks per account`);
    }
    const del = /^\/v1\/webhooks\/([0-9a-f]{24})$/.exec(path);
    if (del && r.method === 'DELETE') {
      const removed = await accounts.change(account, ({ state }) => {
        const before = state.hooks.length;
        state.hooks = state.hooks.filter((h) => h.id_webhook !== del[1]);
        return state.hooks.length < before;
      });
      return removed ? envelope(res, 200, true) : envelope(res, 404, null, 'Webhook not found');
    }
    if (path === '/v1/catalogues/webhook3_events' && r.method === 'GET') return envelope(res, 200, v3Catalogue);
    if (path === '/v1/webhooks/subscriptions' && r.method === 'GET') {
      return envelope(res, 200, (await accounts.read(account))?.state.subscriptions ?? []);
    }
    if (path === '/v1/webhooks/subscriptions' && r.method === 'POST') {
      const checked = checkSubscription(r.body);
      if (typeof checked === 'string') return envelope(res, 400, null, checked);
      const sub: Subscription = { id_subscription: mongoId(), ...checked, dt_created: Math.floor(Date.now() / 1000), dt_modified: null };
      const added = await accounts.change(account, ({ state }) => {
        state.subscriptions ??= [];
        if (state.hooks.length + state.subscriptions.length >= MAX_HOOKS_PER_ACCOUNT) return false;
        state.subscriptions.push(sub);
        return true;
      });
      return added ? envelope(res, 200, sub) : envelope(res, 400, null, `at most ${MAX_HOOKS_PER_ACCOUNT} webhooks per account`);
    }
    const one = /^\/v1\/webhooks\/subscriptions\/([0-9a-f]{24})$/.exec(path);
    if (one && r.method === 'GET') {
      const sub = (await accounts.read(account))?.state.subscriptions?.find((s) => s.id_subscription === one[1]);
      return sub ? envelope(res, 200, sub) : envelope(res, 404, null, 'Subscription not found');
    }
    if (one && r.method === 'PUT') {
      const checked = checkSubscription(r.body);
      if (typeof checked === 'string') return envelope(res, 400, null, checked);
      const updated = await accounts.change(account, ({ state }) => {
        const sub = state.subscriptions?.find((s) => s.id_subscription === one[1]);
        if (sub) Object.assign(sub, checked, { dt_modified: Math.floor(Date.now() / 1000) });
        return sub ? { ...sub } : null;
      });
      return updated ? envelope(res, 200, updated) : envelope(res, 404, null, 'Subscription not found');
    }
    if (one && r.method === 'DELETE') {
      const removed = await accounts.change(account, ({ state }) => {
        const before = state.subscriptions?.length ?? 0;
        state.subscriptions = (state.subscriptions ?? []).filter((s) => s.id_subscription !== one[1]);
        return state.subscriptions.length < before;
      });
      return removed ? envelope(res, 200, true) : envelope(res, 404, null, 'Subscription not found');
    }
    return envelope(res, 404, null, 'Not found');
  }

  /** A subscription's body as the Postman collection shows it, or what is wrong with it. */
  function checkSubscription(body: unknown): Omit<Subscription, 'id_subscription' | 'dt_created' | 'dt_modified'> | string {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const { url, events, description, id_environment: environment, group_events: group = 1 } = b;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return 'url is required';
    if (!acceptsDeliveryUrl(url)) return 'url must be a delivery URL of this gateway';
    if (typeof environment !== 'string' || !environments.has(environment)) return 'id_environment must be an environment id';
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && v3Ids.has(e))) {
      return 'events must be ids from /v1/catalogues/webhook3_events';
    }
    if (group !== 0 && group !== 1) return 'group_events must be 0 or 1';
    return {
      url,
      events: events as string[],
      description: typeof description === 'string' ? description.slice(0, 200) : '',
      id_environment: environment,
      group_events: group,
    };
  }

  function v1Payload(event: string, account: string) {
    const idCredential = mongoId();
    if (event === 'documents_completed') {
      const uuid = randomUUID();
      return {
        endpoints: { documents: [`/v1/webhooks/events/${uuid}/documents?limit=1000&skip=0`] },
        event,
        id_external: null,
        id_user: userOf(account),
        uuid,
      };
    }
    return {
      endpoints: { credential: [`/v1/credentials/${idCredential}`] },
      event,
      id_credential: idCredential,
      id_external: 'IXS7607092R5',
      id_job: mongoId(),
      id_job_uuid: mongoId(),
      id_site: '5da784f1f9de2a06483abec1',
      id_site_organization: '56cf4ff5784806152c8b4567',
      id_site_organization_type: '56cf4f5b784806cf028b4569',
      id_user: userOf(account),
      is_executing: 1,
    };
  }

  /** A V3 envelope of `items` events named `v3Name`, each with the V1 payload (VENDORS.md §3.4). */
  function v3Body(v3Name: string, v1Name: string, account: string, items: number) {
    return {
      rid: randomUUID(),
      events: Array.from({ length: items }, () => ({
        header: {
          event: { at: v3Time(), eid: randomUUID(), name: v3Name, version: '3.1' },
          user: { id_environment: '574894bf7848066d138b4570', id_external: '20230614-DEMO', id_user: userOf(account) },
        },
        payload: v1Payload(v1Name, account),
      })),
    };
  }

  /**
   * The event, named either way (`credential_create` or `credentials.created`), goes to the account's V1 hooks that
   * take its V1 name (flat, or as a V3 envelope with `shape`) and, as a V3 envelope, to its subscriptions that take
   * its V3 name.
   */
  async function trigger(eventType: string, { account, shape = 'v1' }: TriggerOptions) {
    const v1Name = V1_NAME_OF.get(eventType) ?? eventType;
    const v3Name = V3_NAME_OF.get(v1Name) ?? eventType;
    const items = shape === 'v3-batch' ? 2 : 1;
    const hookText = JSON.stringify(shape === 'v1' ? v1Payload(v1Name, account) : v3Body(v3Name, v1Name, account, items));
    const state = (await accounts.read(account))?.state;
    const hooks = (state?.hooks ?? []).filter(
      (h) => h.events.includes(v1Name) && (h.id_user === null || h.id_user === userOf(account)) && acceptsDeliveryUrl(h.url),
    );
    const eventId = v3IdOf.get(v3Name);
    const subscriptions = (state?.subscriptions ?? []).filter(
      (s) => eventId !== undefined && s.events.includes(eventId) && acceptsDeliveryUrl(s.url),
    );
    const subscriptionText = JSON.stringify(v3Body(v3Name, v1Name, account, items));
    const json = { 'content-type': 'application/json' };
    const deliveries = await Promise.all([
      ...hooks.map((h) => deliver(h.url, hookText, { ...json, ...h.headers })),
      ...subscriptions.map((s) => deliver(s.url, subscriptionText, json)),
    ]);
    const failedIds = new Set(hooks.filter((_h, i) => failed(deliveries[i] as SandboxDelivery)).map((h) => h.id_webhook));
    if (failedIds.size > 0) {
      await accounts.change(account, ({ state }) => {
        for (const h of state.hooks) if (failedIds.has(h.id_webhook)) h.ct_failed += 1;
      });
    }
    return deliveries;
  }

  return {
    provider: 'PAYBOOK',
    handle,
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: '', credentials };
    },
    accountOf: (credentials) => authenticate(stringField(credentials, 'apiKey')),
    basePath: () => '',
    credentialsFor: (name, form) => accounts.fixture(name, form),
    trigger,
    ...sandboxControls(recorder, accounts.reset),
    /** The id_user of the account's one user: a hook limited to it receives the account's events. */
    userOf,
  };
}
