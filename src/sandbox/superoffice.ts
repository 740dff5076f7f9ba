import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hmacSha256Base64 } from '../crypto.js';
import { superofficeEventTypes } from '../providers/superoffice/catalog.js';
import type { SuperofficeWebhookWire } from '../providers/superoffice/wire.js';
import { accountNamedBy, createVendorAccounts, mintSecret } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxDelivery, SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

interface State {
  hooks: SuperofficeWebhookWire[];
  nextId: number;
}

const TOKEN_PREFIX = 'sbx-so-';
const TICKET_PREFIX = 'sbx-so-ticket-';
const APP_PREFIX = 'sbx-so-app-';

const known = new Set(superofficeEventTypes.map((e) => e.name));
const ROUTE = /^\/[^/]+\/api\/v1\/Webhook(?:\/([^/]+))?\/?$/;
/** `2025-05-14T10:48:07.8912039Z`: seven fractional digits. */
const soTime = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

/**
 * The tenant path of an account: `Cust` and five digits, as SuperOffice Online names tenants. Only
 * cosmetic: requests are authenticated by their token, and the path must be the token's account's.
 */
export function superofficeTenant(account: string): string {
  return `Cust${(Number.parseInt(createHash('sha256').update(account).digest('hex').slice(0, 8), 16) % 100_000).toString().padStart(5, '0')}`;
}

/**
 * SuperOffice's REST Webhook agent per tenant (`/<tenant>/api/v1/Webhook`): each account has a random
 * Bearer access token, and a random system-user ticket (`SOTicket <ticket>` with `SO-AppToken`).
 * Create (and a TargetUrl change, and Test) first POSTs a signed test ping to TargetUrl and fails
 * unless it gets exactly 200. Deliveries are signed with the hook's Secret (VENDORS.md §5.3).
 */
export function createSuperofficeSandbox(options: SandboxVendorOptions = {}): SandboxVendor {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  const accounts = createVendorAccounts<State>({
    provider: 'SUPEROFFICE',
    store,
    initialState: () => ({ hooks: [], nextId: 1 }),
    mint: (account) => {
      const secrets = {
        accessToken: mintSecret(TOKEN_PREFIX, account),
        ticket: mintSecret(TICKET_PREFIX, account),
        appToken: mintSecret(APP_PREFIX, account),
      };
      return {
        forms: { default: { accessToken: secrets.accessToken }, ticket: { ticket: secrets.ticket, appToken: secrets.appToken } },
        secrets,
      };
    },
  });

  function authenticate(r: { headers: Record<string, string | string[] | undefined> }): Promise<string | null> {
    const auth = header(r, 'authorization') ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    if (bearer !== undefined) return accounts.authenticate(accountNamedBy(TOKEN_PREFIX, bearer), { accessToken: bearer });
    const ticket = /^SOTicket (.+)$/.exec(auth)?.[1];
    return accounts.authenticate(accountNamedBy(TICKET_PREFIX, ticket), { ticket, appToken: header(r, 'so-apptoken') });
  }

  async function send(
    hook: Pick<SuperofficeWebhookWire, 'TargetUrl' | 'Secret' | 'Headers' | 'Name'>,
    payload: Record<string, unknown>,
    extra: Record<string, string>,
  ): Promise<SandboxDelivery> {
    const text = JSON.stringify({ ...payload, WebhookName: hook.Name });
    return deliver(hook.TargetUrl, text, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'NetServer-Webhook/10.3.0',
      'x-superoffice-retry': '0',
      ...hook.Headers,
      ...(hook.Secret ? { 'x-superoffice-signature': hmacSha256Base64(hook.Secret, text) } : {}),
      ...extra,
    });
  }

  function ping(hook: Pick<SuperofficeWebhookWire, 'TargetUrl' | 'Secret' | 'Headers' | 'Name'>, tenant: string) {
    const eventId = randomUUID();
    return send(
      hook,
      { EventId: eventId, Timestamp: soTime(), Event: 'test', Entity: 'test', PrimaryKey: 0, ContextIdentifier: tenant },
      {
        'x-superoffice-event': 'test',
        'x-superoffice-eventid': eventId,
        'x-hook-test': 'true',
      },
    );
  }

  function validate(body: unknown): Omit<SuperofficeWebhookWire, 'WebhookId'> | string {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b['TargetUrl'] !== 'string' || !/^https?:\/\/\S+$/.test(b['TargetUrl'])) return 'TargetUrl must be an http(s) URL';
    if (!acceptsDeliveryUrl(b['TargetUrl'])) return 'TargetUrl must be a delivery URL of this gateway';
    const events = b['Events'];
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && known.has(e)))
      return 'Events must be known event names';
    const state = b['State'] ?? 'Active';
    if (!['Active', 'Stopped', 'TooManyErrors', 1, 2, 3].includes(state as string)) return 'State is invalid';
    const now = soTime();
    return {
      Name: typeof b['Name'] === 'string' ? b['Name'] : null,
      Events: events as string[],
      TargetUrl: b['TargetUrl'],
      Secret: typeof b['Secret'] === 'string' ? b['Secret'] : null,
      State: typeof state === 'number' ? (['Unknown', 'Active', 'Stopped', 'TooManyErrors'][state] ?? 'Unknown') : (state as string),
      Type: typeof b['Type'] === 'string' ? b['Type'] : 'webhook',
      Headers: (b['Headers'] as Record<string, string> | undefined) ?? {},
      Properties: (b['Properties'] as Record<string, unknown> | undefined) ?? {},
      Registered: now,
      Updated: now,
    };
  }

  const withLinks = (h: SuperofficeWebhookWire, tenant: string) => ({
    ...h,
    _Links: { Self: `https://sandbox.superoffice/${tenant}/api/v1/Webhook/${h.WebhookId}` },
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    const m = ROUTE.exec(path);
    if (!m) return sendJson(res, 404, { Error: 'Not found' });
    const account = await authenticate(r);
    const tenant = path.split('/')[1] as string;
    // A valid token of another tenant is as good as none.
    if (!account || tenant !== superofficeTenant(account))
      return sendJson(res, 401, { Error: 'Unauthorized', ErrorType: 'UnauthorizedAccessException' });
    const sub = m[1];
    if (r.method === 'GET' && sub === 'default') {
      return sendJson(res, 200, {
        WebhookId: 0,
        Name: '',
        Events: ['contact.created', 'contact.deleted'],
        TargetUrl: '',
        Secret: '',
        State: 'Active',
        Type: 'webhook',
        Headers: {},
        Properties: {},
      });
    }
    if (r.method === 'GET' && !sub) {
      const { nameFilter, eventFilter, statusFilter } = r.query;
      const list = (await accounts.read(account))?.state.hooks ?? [];
      return sendJson(
        res,
        200,
        list
          .filter((h) => !nameFilter || (h.Name ?? '').includes(nameFilter))
          .filter((h) => !eventFilter || h.Events.includes(eventFilter))
          .filter((h) => !statusFilter || statusFilter === 'Unknown' || h.State === statusFilter)
          .map((h) => withLinks(h, tenant)),
      );
    }
    if (r.method === 'POST' && (!sub || sub === 'Test')) {
      const v = validate(r.body);
      if (typeof v === 'string') return sendJson(res, 400, { Error: v });
      const pinged = await ping(v, tenant);
      if (sub === 'Test')
        return sendJson(res, 200, {
          Success: pinged.status === 200,
          Message: `HTTP ${pinged.status ?? 'unreachable'}`,
          TableRight: null,
          FieldProperties: {},
        });
      if (pinged.status !== 200)
        return sendJson(res, 400, { Error: `Webhook test failed: ${v.TargetUrl} answered ${pinged.status ?? 'nothing'}` });
      const hook = await accounts.change(account, ({ state }) => {
        if (state.hooks.length >= MAX_HOOKS_PER_ACCOUNT) return null;
        const added: SuperofficeWebhookWire = { WebhookId: state.nextId++, ...v };
        state.hooks.push(added);
        return added;
      });
      if (!hook) return sendJson(res, 400, { Error: `At most ${MAX_HOOKS_PER_ACCOUNT} webhooks` });
      return sendJson(res, 200, withLinks(hook, tenant));
    }
    const current = (await accounts.read(account))?.state.hooks.find((h) => String(h.WebhookId) === sub);
    if (!current) return sendJson(res, 404, { Error: `Webhook ${sub} not found` });
    if (r.method === 'GET') return sendJson(res, 200, withLinks(current, tenant));
    /** Applies `edit` to the stored hook; null when it vanished meanwhile. */
    const edit = (fn: (hook: SuperofficeWebhookWire) => void) =>
      accounts.change(account, ({ state }) => {
        const hook = state.hooks.find((h) => h.WebhookId === current.WebhookId);
        if (hook) fn(hook);
        return hook ?? null;
      });
    if (r.method === 'PUT') {
      const v = validate(r.body);
      if (typeof v === 'string') return sendJson(res, 400, { Error: v });
      if (v.TargetUrl !== current.TargetUrl && (await ping(v, tenant)).status !== 200)
        return sendJson(res, 400, { Error: 'Webhook test failed' });
      const hook = await edit((h) => Object.assign(h, v, { Registered: h.Registered }));
      return hook ? sendJson(res, 200, withLinks(hook, tenant)) : sendJson(res, 404, { Error: `Webhook ${sub} not found` });
    }
    if (r.method === 'PATCH') {
      const ops = Array.isArray(r.body)
        ? (r.body as Array<{ op?: string; path?: string; value?: unknown }>)
        : [{ op: 'replace', path: 'State', value: (r.body as Record<string, unknown> | null)?.['State'] }];
      const states: string[] = [];
      for (const op of ops) {
        if (op.op !== 'replace' || op.path?.replace(/^\//, '') !== 'State' || !['Active', 'Stopped'].includes(op.value as string)) {
          return sendJson(res, 400, { Error: 'only State can be replaced with Active or Stopped' });
        }
        states.push(op.value as string);
      }
      const hook = await edit((h) => {
        for (const state of states) {
          h.State = state;
          h.Updated = soTime();
        }
      });
      return hook ? sendJson(res, 200, withLinks(hook, tenant)) : sendJson(res, 404, { Error: `Webhook ${sub} not found` });
    }
    if (r.method === 'DELETE') {
      await accounts.change(account, ({ state }) => {
        state.hooks = state.hooks.filter((h) => h.WebhookId !== current.WebhookId);
      });
      res.writeHead(204).end();
      return;
    }
    return sendJson(res, 405, { Error: 'Method not allowed' });
  }

  async function trigger(eventType: string, { account, shape = 'entity' }: TriggerOptions): Promise<SandboxDelivery[]> {
    const tenant = superofficeTenant(account);
    const hooks = ((await accounts.read(account))?.state.hooks ?? []).filter(
      (h) => h.State === 'Active' && acceptsDeliveryUrl(h.TargetUrl),
    );
    if (shape === 'state') {
      // State events reach the hook itself: header `webhook{id}.stopped`, body Event `webhook.stopped`, no Entity.
      return Promise.all(
        hooks.map((h) => {
          const eventId = randomUUID();
          return send(
            h,
            { EventId: eventId, Timestamp: soTime(), Event: 'webhook.stopped', PrimaryKey: h.WebhookId, ContextIdentifier: tenant },
            {
              'x-superoffice-event': `webhook${h.WebhookId}.stopped`,
              'x-superoffice-eventid': eventId,
            },
          );
        }),
      );
    }
    const entity = eventType.split('.')[0] as string;
    const timestamp = soTime();
    const primaryKey = Math.floor(Math.random() * 100_000);
    const cycles = shape === 'retry-cycle' ? 2 : 1;
    const out: SandboxDelivery[] = [];
    for (const h of hooks.filter((x) => x.Events.includes(eventType))) {
      for (let cycle = 0; cycle < cycles; cycle++) {
        // A new retry cycle has a new EventId, but the same entity, key, event and timestamp (VENDORS.md §5.4).
        const eventId = randomUUID();
        out.push(
          await send(
            h,
            {
              EventId: eventId,
              Timestamp: timestamp,
              Changes: [`${entity}_id`, 'updated', 'name'],
              Event: eventType,
              PrimaryKey: primaryKey,
              Entity: entity,
              ContextIdentifier: tenant,
              ChangedByAssociateId: 5,
              FieldValues: { [`${entity}_id`]: primaryKey, associate_id: 12, updated: timestamp },
            },
            { 'x-superoffice-event': eventType, 'x-superoffice-eventid': eventId },
          ),
        );
      }
    }
    return out;
  }

  return {
    provider: 'SUPEROFFICE',
    handle,
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: `/${superofficeTenant(account)}`, credentials };
    },
    accountOf: (credentials) => {
      const accessToken = stringField(credentials, 'accessToken');
      if (accessToken !== undefined) return accounts.authenticate(accountNamedBy(TOKEN_PREFIX, accessToken), { accessToken });
      const ticket = stringField(credentials, 'ticket');
      return accounts.authenticate(accountNamedBy(TICKET_PREFIX, ticket), { ticket, appToken: stringField(credentials, 'appToken') });
    },
    basePath: (account) => `/${superofficeTenant(account)}`,
    credentialsFor: (name, form) => accounts.fixture(name, form),
    trigger,
    ...sandboxControls(recorder, accounts.reset),
  };
}
