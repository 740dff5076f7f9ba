import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { paybookEventTypes } from '../providers/paybook/catalog.js';
import type { PaybookWebhookWire } from '../providers/paybook/wire.js';
import { createApiKeyAccounts } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxDelivery, SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

interface Hook extends PaybookWebhookWire {
  headers: Record<string, string>;
}

interface State {
  hooks: Hook[];
}

const KEY_PREFIX = 'sbx-pb-';

const mongoId = () => randomBytes(12).toString('hex');
const known = new Set(paybookEventTypes.map((e) => e.name));
const V3_NAMES: Record<string, string> = {
  credential_create: 'credentials.created',
  credential_update: 'credentials.updated',
  refresh: 'credentials.refreshed',
  documents_completed: 'documents.completed',
};

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
    return envelope(res, 404, null, 'Not found');
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

  async function trigger(eventType: string, { account, shape = 'v1' }: TriggerOptions) {
    const items = shape === 'v3-batch' ? 2 : 1;
    const body =
      shape === 'v1'
        ? v1Payload(eventType, account)
        : {
            rid: randomUUID(),
            events: Array.from({ length: items }, () => ({
              header: {
                event: {
                  at: v3Time(),
                  eid: randomUUID(),
                  name: (Object.hasOwn(V3_NAMES, eventType) ? V3_NAMES[eventType] : undefined) ?? eventType,
                  version: '3.1',
                },
                user: { id_environment: '574894bf7848066d138b4570', id_external: '20230614-DEMO', id_user: userOf(account) },
              },
              payload: v1Payload(eventType, account),
            })),
          };
    const text = JSON.stringify(body);
    const hooks = (await accounts.read(account))?.state.hooks ?? [];
    const targets = hooks.filter(
      (h) => h.events.includes(eventType) && (h.id_user === null || h.id_user === userOf(account)) && acceptsDeliveryUrl(h.url),
    );
    const deliveries = await Promise.all(targets.map((h) => deliver(h.url, text, { 'content-type': 'application/json', ...h.headers })));
    const failedIds = new Set(targets.filter((_h, i) => failed(deliveries[i] as SandboxDelivery)).map((h) => h.id_webhook));
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
