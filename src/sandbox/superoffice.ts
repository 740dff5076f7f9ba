import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hmacSha256Base64 } from '../crypto.js';
import { superofficeEventTypes } from '../providers/superoffice/catalog.js';
import { parseStateEvent, type SuperofficeStateAction, type SuperofficeWebhookWire, TICKET_CLAIM } from '../providers/superoffice/wire.js';
import { type Account, accountNamedBy, createVendorAccounts, mintSecret } from './accounts.js';
import { deliver, header, MAX_HOOKS_PER_ACCOUNT, sandboxControls, sandboxParts, sendJson, stringField } from './common.js';
import type { SandboxDelivery, SandboxVendor, SandboxVendorOptions, TriggerOptions } from './types.js';

/** A hook as the sandbox keeps it: the entity, and the delivery statistics the vendor keeps beside it. */
interface StoredHook extends SuperofficeWebhookWire {
  /** webhook_usage.consecutive_errors (troubleshooting.md). */
  ConsecutiveErrors?: number;
  /** What GET /Webhook/{id}/LastError answers. */
  LastError?: string | null;
}

interface State {
  hooks: StoredHook[];
  nextId: number;
}

const TOKEN_PREFIX = 'sbx-so-';
const TICKET_PREFIX = 'sbx-so-ticket-';
const APP_PREFIX = 'sbx-so-app-';
const REFRESH_PREFIX = 'sbx-so-refresh-';
const CLIENT_PREFIX = 'sbx-so-client-';
const CLIENT_SECRET_PREFIX = 'sbx-so-client-secret-';
const SYSTEM_PREFIX = 'sbx-so-system-';
/** Where the application's public key is kept beside the account's secret hashes (it is no secret). */
const APP_PUBLIC_KEY = 'appPublicKey';

/** Consecutive failed deliveries after which a hook turns TooManyErrors (VENDORS.md §5.4: 3 cycles × 3). */
export const SUPEROFFICE_MAX_CONSECUTIVE_ERRORS = 9;
/** Bounds the sandbox puts on a hook (the vendor's are not documented): generous, so the connector's show. */
const MAX_EVENTS = 200;
const MAX_MAP_ENTRIES = 50;
const MAX_TEXT = 1024;
/** How far a signed system user token's minute may be from the sandbox clock. */
const SIGNED_TOKEN_SKEW_MS = 5 * 60_000;

const known = new Set(superofficeEventTypes.map((e) => e.name));
const ROUTE = /^\/[^/]+\/api\/v1\/Webhook(?:\/([^/]+))?(?:\/(LastError))?\/?$/;
/** `2025-05-14T10:48:07.8912039Z`: seven fractional digits. */
const soTime = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

const STATE_OF_ACTION: Readonly<Record<SuperofficeStateAction, string>> = {
  started: 'Active',
  stopped: 'Stopped',
  errors: 'TooManyErrors',
};
/** The state event a change to `state` fires (state-events.md), or null. */
const actionOf = (state: string | number): SuperofficeStateAction | null =>
  state === 'Active' ? 'started' : state === 'Stopped' ? 'stopped' : state === 'TooManyErrors' ? 'errors' : null;
/** `FieldValues.state` numbering of the state events page: 0 = Active, 1 = Stopped, 2 = TooManyErrors. */
const STATE_NUMBER: Readonly<Record<string, number>> = { Active: 0, Stopped: 1, TooManyErrors: 2 };

/** The members a JSON Patch may write (case-insensitive, state-events.md / v1Webhook_PatchWebhook.md). */
const WRITABLE = new Map(
  ['Name', 'Events', 'TargetUrl', 'Secret', 'State', 'Type', 'Headers', 'Properties', 'ErrorsEmail'].map(
    (m) => [m.toLowerCase(), m] as const,
  ),
);
const READ_ONLY = new Set(['webhookid', 'registered', 'registeredassociate', 'updated', 'updatedassociate']);

/**
 * The tenant path of an account: `Cust` and five digits, as SuperOffice Online names tenants. Only
 * cosmetic: requests are authenticated by their token, and the path must be the token's account's.
 */
export function superofficeTenant(account: string): string {
  return `Cust${(Number.parseInt(createHash('sha256').update(account).digest('hex').slice(0, 8), 16) % 100_000).toString().padStart(5, '0')}`;
}

class PatchError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 6901 pointer tokens, the leading slash optional (SuperOffice), `~1` and `~0` unescaped. */
function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || path.length > MAX_TEXT) throw new PatchError(400, 'path must be a JSON Pointer');
  const tokens = path.replace(/^\//, '').split('/');
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies JSON Patch `ops` (RFC 6902: add, replace, remove, test, the operations SuperOffice takes) to a
 * copy of `hook`'s writable members, all or nothing. Paths: a member, `/Events/<index>` or `/Events/-`,
 * `/Headers/<name>`, `/Properties/<name>`. A member always exists (null when unset), so replacing or
 * removing one never fails; removing sets it to null (or empty). A failed `test` is 409, anything else 400.
 */
function applyJsonPatch(hook: StoredHook, ops: unknown[]): Record<string, unknown> {
  const doc: Record<string, unknown> = structuredClone({
    Name: hook.Name,
    Events: hook.Events,
    TargetUrl: hook.TargetUrl,
    Secret: hook.Secret,
    State: hook.State,
    Type: hook.Type,
    Headers: hook.Headers,
    Properties: hook.Properties,
    ErrorsEmail: hook.ErrorsEmail ?? null,
  });
  if (ops.length > 100) throw new PatchError(400, 'at most 100 operations');
  for (const raw of ops) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PatchError(400, 'each operation is an object');
    const op = raw as Record<string, unknown>;
    const [first = '', ...rest] = pointer(op['path']);
    if (READ_ONLY.has(first.toLowerCase())) throw new PatchError(400, `${first} cannot be changed`);
    const member = WRITABLE.get(first.toLowerCase());
    if (!member || rest.length > 1) throw new PatchError(400, `no such path: ${String(op['path']).slice(0, 100)}`);
    const kind = op['op'];
    if (kind !== 'add' && kind !== 'replace' && kind !== 'remove' && kind !== 'test')
      throw new PatchError(400, 'op must be add, replace, remove or test');
    if (kind !== 'remove' && !Object.hasOwn(op, 'value')) throw new PatchError(400, `${kind} needs a value`);
    const value = op['value'];
    if (rest.length === 0) {
      if (kind === 'test') {
        if (!deepEqual(doc[member], value)) throw new PatchError(409, `test failed at ${member}`);
      } else if (kind === 'remove') {
        doc[member] = member === 'Headers' || member === 'Properties' ? {} : member === 'Events' ? [] : null;
      } else {
        doc[member] = structuredClone(value);
      }
      continue;
    }
    const key = rest[0] as string;
    const container = doc[member];
    if (member === 'Events') {
      const events = Array.isArray(container) ? container : [];
      doc[member] = events;
      const index = key === '-' ? events.length : /^(0|[1-9]\d{0,5})$/.test(key) ? Number(key) : -1;
      const exists = index >= 0 && index < events.length;
      if (kind === 'add') {
        if (index < 0 || index > events.length) throw new PatchError(400, `no such index: Events/${key.slice(0, 20)}`);
        events.splice(index, 0, value);
      } else if (!exists) {
        throw new PatchError(kind === 'test' ? 409 : 400, `no such index: Events/${key.slice(0, 20)}`);
      } else if (kind === 'remove') {
        events.splice(index, 1);
      } else if (kind === 'replace') {
        events[index] = value;
      } else if (!deepEqual(events[index], value)) {
        throw new PatchError(409, `test failed at Events/${index}`);
      }
      continue;
    }
    if (member !== 'Headers' && member !== 'Properties') throw new PatchError(400, `${member} has no members`);
    const map = (typeof container === 'object' && container !== null ? container : {}) as Record<string, unknown>;
    doc[member] = map;
    const exists = Object.hasOwn(map, key);
    if (kind === 'add') {
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    } else if (!exists) {
      throw new PatchError(kind === 'test' ? 409 : 400, `no such member: ${member}/${key.slice(0, 100)}`);
    } else if (kind === 'remove') {
      delete map[key];
    } else if (kind === 'replace') {
      map[key] = value;
    } else if (!deepEqual(map[key], value)) {
      throw new PatchError(409, `test failed at ${member}/${key.slice(0, 100)}`);
    }
  }
  return doc;
}

/** RFC 7396 Merge Patch over the writable members (null clears one). */
function applyMergePatch(hook: StoredHook, patch: Record<string, unknown>): Record<string, unknown> {
  const doc = applyJsonPatch(hook, []);
  for (const [name, value] of Object.entries(patch)) {
    if (READ_ONLY.has(name.toLowerCase())) continue;
    const member = WRITABLE.get(name.toLowerCase());
    if (!member) throw new PatchError(400, `no such member: ${name.slice(0, 100)}`);
    if (value === null) doc[member] = member === 'Headers' || member === 'Properties' ? {} : member === 'Events' ? [] : null;
    else if ((member === 'Headers' || member === 'Properties') && typeof value === 'object' && !Array.isArray(value)) {
      const merged = { ...(doc[member] as Record<string, unknown>) };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === null) delete merged[k];
        else Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      doc[member] = merged;
    } else doc[member] = value;
  }
  return doc;
}

/** A string map of at most MAX_MAP_ENTRIES entries with names and values of at most MAX_TEXT characters, or null. */
function boundedMap(v: unknown, strings: boolean): Record<string, unknown> | null {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return null;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > MAX_MAP_ENTRIES) return null;
  for (const [k, x] of entries) {
    if (k.length > MAX_TEXT) return null;
    if (strings ? typeof x !== 'string' || x.length > MAX_TEXT || /[\r\n\0]/.test(x) : JSON.stringify(x).length > MAX_TEXT) return null;
  }
  return Object.fromEntries(entries);
}

/**
 * SuperOffice's REST Webhook agent per tenant (`/<tenant>/api/v1/Webhook`), and its login service
 * beside the tenants (`/login/common/oauth/tokens`, `/Login/api/PartnerSystemUser/Authenticate`). Each
 * account has a random Bearer access token with a refresh token and OAuth client, a system-user ticket
 * (`SOTicket <ticket>` with `SO-AppToken`) with the system user token that re-issues it, and the
 * application's RSA key that signs that token. Create, a TargetUrl change and Test first POST a signed
 * test ping to TargetUrl and fail unless it gets exactly 200. Deliveries are signed with the hook's Secret
 * (VENDORS.md §5.3); 9 consecutive failures, or one 410, turn a hook TooManyErrors. A State change fires
 * `webhook<id>.started|stopped|errors` to the hooks that list it in their Events (state-events.md).
 *
 * Test controls: expireCredentials (access token and ticket stop working), removeSecret (the Secret is
 * deleted at the vendor), and trigger shape `state` (the vendor stops or fails hooks itself).
 */
export function createSuperofficeSandbox(options: SandboxVendorOptions = {}): SandboxVendor & {
  expireCredentials(account: string): Promise<void>;
  removeSecret(account: string, webhookId: string): Promise<boolean>;
} {
  const { store, acceptsDeliveryUrl, recorder } = sandboxParts(options);
  /** The application's key pair (one partner app for every tenant), made on first use of the system form. */
  let appKey: { privateKey: string; publicKey: string } | null = null;
  const appKeyPair = () => {
    appKey ??= generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    return appKey;
  };
  /** Signs the JWTs the login service answers with (the connector reads their claim, over TLS in real life). */
  const jwtKey = randomBytes(32);

  const accounts = createVendorAccounts<State>({
    provider: 'SUPEROFFICE',
    store,
    initialState: () => ({ hooks: [], nextId: 1 }),
    mint: (account) => {
      const secrets = {
        accessToken: mintSecret(TOKEN_PREFIX, account),
        ticket: mintSecret(TICKET_PREFIX, account),
        appToken: mintSecret(APP_PREFIX, account),
        refreshToken: mintSecret(REFRESH_PREFIX, account),
        clientSecret: mintSecret(CLIENT_SECRET_PREFIX, account),
        systemUserToken: mintSecret(SYSTEM_PREFIX, account),
      };
      return {
        forms: {
          default: { accessToken: secrets.accessToken },
          ticket: { ticket: secrets.ticket, appToken: secrets.appToken },
          oauth: {
            accessToken: secrets.accessToken,
            refreshToken: secrets.refreshToken,
            clientId: `${CLIENT_PREFIX}${account}`,
            clientSecret: secrets.clientSecret,
          },
          // The private key is added when the form is handed out (withAppKey).
          system: { appToken: secrets.appToken, systemUserToken: secrets.systemUserToken },
        },
        secrets,
      };
    },
  });

  /** The system form with the application's private key; the account keeps the public key to check signatures. */
  async function withAppKey(account: string, form: string | undefined, credentials: Record<string, string>) {
    if (form !== 'system') return credentials;
    const { privateKey, publicKey } = appKeyPair();
    await accounts.change(account, (a) => {
      a.secrets[APP_PUBLIC_KEY] = publicKey;
    });
    return { ...credentials, privateKey };
  }

  function authenticate(r: { headers: Record<string, string | string[] | undefined> }): Promise<string | null> {
    const auth = header(r, 'authorization') ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    if (bearer !== undefined) return accounts.authenticate(accountNamedBy(TOKEN_PREFIX, bearer), { accessToken: bearer });
    const ticket = /^SOTicket (.+)$/.exec(auth)?.[1];
    return accounts.authenticate(accountNamedBy(TICKET_PREFIX, ticket), { ticket, appToken: header(r, 'so-apptoken') });
  }

  async function send(
    hook: Pick<SuperofficeWebhookWire, 'TargetUrl' | 'Secret' | 'Headers' | 'Name' | 'Properties'>,
    payload: Record<string, unknown>,
    extra: Record<string, string>,
  ): Promise<SandboxDelivery> {
    // Properties are "custom values to inject into JSON body": beside the payload's own members, never over them.
    const text = JSON.stringify({ ...hook.Properties, ...payload, WebhookName: hook.Name });
    return deliver(hook.TargetUrl, text, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'NetServer-Webhook/10.3.0',
      'x-superoffice-retry': '0',
      ...hook.Headers,
      ...(hook.Secret ? { 'x-superoffice-signature': hmacSha256Base64(hook.Secret, text) } : {}),
      ...extra,
    });
  }

  function ping(hook: Pick<SuperofficeWebhookWire, 'TargetUrl' | 'Secret' | 'Headers' | 'Name' | 'Properties'>, tenant: string) {
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

  /**
   * Fires `webhook<id>.<action>` after hook `id` changed state: to every hook listing it in its Events
   * that is Active, and to the hook itself when it lists it (the notice goes out with the change, so a
   * hook that just stopped or failed still hears of it: an assumption, the docs are silent).
   */
  async function announce(account: string, id: number, action: SuperofficeStateAction): Promise<SandboxDelivery[]> {
    const hooks = (await accounts.read(account))?.state.hooks ?? [];
    const changed = hooks.find((h) => h.WebhookId === id);
    if (!changed) return [];
    const name = `webhook${id}.${action}`;
    const tenant = superofficeTenant(account);
    const recipients = hooks.filter(
      (h) =>
        h.Events.some((e) => e.toLowerCase() === name) && (h.State === 'Active' || h.WebhookId === id) && acceptsDeliveryUrl(h.TargetUrl),
    );
    return Promise.all(
      recipients.map((h) => {
        const eventId = randomUUID();
        return send(
          h,
          {
            EventId: eventId,
            Timestamp: soTime(),
            Changes: [],
            Event: `webhook.${action}`,
            PrimaryKey: id,
            ContextIdentifier: tenant,
            ChangedByAssociateId: 0,
            FieldValues: {
              events: changed.Events.length,
              registered: changed.Registered,
              registered_associate_id: 5,
              state: STATE_NUMBER[String(changed.State)] ?? 0,
              updated: changed.Updated,
              updated_associate_id: 5,
            },
          },
          { 'x-superoffice-event': name, 'x-superoffice-eventid': eventId },
        );
      }),
    );
  }

  /** Sets hook `id`'s State and fires its state event when it changed. */
  async function setState(account: string, id: number, state: string): Promise<SandboxDelivery[]> {
    const before = await accounts.change(account, ({ state: s }) => {
      const hook = s.hooks.find((h) => h.WebhookId === id);
      if (!hook || hook.State === state) return null;
      hook.State = state;
      hook.Updated = soTime();
      if (state === 'Active') hook.ConsecutiveErrors = 0;
      return hook;
    });
    const action = actionOf(state);
    return before && action ? announce(account, id, action) : [];
  }

  /** Counts a delivery's outcome: 200 clears the errors; 9 failures in a row, or a 410, make the hook TooManyErrors. */
  async function record(account: string, id: number, status: number | null): Promise<SandboxDelivery[]> {
    const failed = await accounts.change(account, ({ state }) => {
      const hook = state.hooks.find((h) => h.WebhookId === id);
      if (!hook) return false;
      if (status === 200) {
        hook.ConsecutiveErrors = 0;
        return false;
      }
      hook.ConsecutiveErrors = (hook.ConsecutiveErrors ?? 0) + 1;
      hook.LastError = status === null ? 'Webhook call failed: the target URL could not be reached' : `Webhook call failed: HTTP ${status}`;
      return status === 410 || hook.ConsecutiveErrors >= SUPEROFFICE_MAX_CONSECUTIVE_ERRORS;
    });
    return failed ? setState(account, id, 'TooManyErrors') : [];
  }

  function validate(body: unknown): Omit<StoredHook, 'WebhookId'> | string {
    const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    if (typeof b['TargetUrl'] !== 'string' || b['TargetUrl'].length > MAX_TEXT || !/^https?:\/\/\S+$/.test(b['TargetUrl']))
      return 'TargetUrl must be an http(s) URL';
    if (!acceptsDeliveryUrl(b['TargetUrl'])) return 'TargetUrl must be a delivery URL of this gateway';
    const events = b['Events'];
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      events.length > MAX_EVENTS ||
      !events.every((e) => typeof e === 'string' && (known.has(e) || parseStateEvent(e) !== null))
    )
      return 'Events must be known event names';
    const state = b['State'] ?? 'Active';
    if (!['Active', 'Stopped', 'TooManyErrors', 1, 2, 3].includes(state as string)) return 'State is invalid';
    const headers = boundedMap(b['Headers'], true);
    if (!headers) return `Headers must be at most ${MAX_MAP_ENTRIES} strings`;
    const properties = boundedMap(b['Properties'], false);
    if (!properties) return `Properties must be at most ${MAX_MAP_ENTRIES} small values`;
    const errorsEmail = b['ErrorsEmail'];
    if (errorsEmail !== undefined && errorsEmail !== null && (typeof errorsEmail !== 'string' || errorsEmail.length > MAX_TEXT))
      return 'ErrorsEmail must be a string';
    for (const f of ['Name', 'Secret'] as const) {
      const v = b[f];
      if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > MAX_TEXT)) return `${f} must be a string`;
    }
    const now = soTime();
    return {
      Name: typeof b['Name'] === 'string' ? b['Name'] : null,
      Events: [...new Set(events as string[])],
      TargetUrl: b['TargetUrl'],
      Secret: typeof b['Secret'] === 'string' && b['Secret'] !== '' ? b['Secret'] : null,
      State: typeof state === 'number' ? (['Unknown', 'Active', 'Stopped', 'TooManyErrors'][state] ?? 'Unknown') : (state as string),
      Type: typeof b['Type'] === 'string' ? b['Type'] : 'webhook',
      Headers: headers as Record<string, string>,
      Properties: properties,
      ErrorsEmail: typeof errorsEmail === 'string' && errorsEmail !== '' ? errorsEmail : null,
      Registered: now,
      Updated: now,
    };
  }

  /** The entity as the API answers it: the Secret included (v1Webhook_GetWebhook.md), the statistics not. */
  const withLinks = (h: StoredHook, tenant: string) => ({
    WebhookId: h.WebhookId,
    Name: h.Name,
    Events: h.Events,
    TargetUrl: h.TargetUrl,
    Secret: h.Secret,
    State: h.State,
    Type: h.Type,
    Headers: h.Headers,
    Properties: h.Properties,
    Registered: h.Registered,
    RegisteredAssociate: null,
    Updated: h.Updated,
    UpdatedAssociate: null,
    ErrorsEmail: h.ErrorsEmail ?? null,
    _Links: { Self: `https://sandbox.superoffice/${tenant}/api/v1/Webhook/${h.WebhookId}` },
  });

  /** `POST /login/common/oauth/tokens?grant_type=refresh_token&client_id&client_secret&refresh_token`: a new access token. */
  async function refreshToken(query: Record<string, string>, res: ServerResponse): Promise<void> {
    if (query['grant_type'] !== 'refresh_token') return sendJson(res, 400, { error: 'unsupported_grant_type' });
    const refresh = query['refresh_token'];
    const account = await accounts.authenticate(accountNamedBy(REFRESH_PREFIX, refresh), {
      refreshToken: refresh,
      clientSecret: query['client_secret'],
    });
    if (!account || query['client_id'] !== `${CLIENT_PREFIX}${account}`) return sendJson(res, 400, { error: 'invalid_grant' });
    const accessToken = mintSecret(TOKEN_PREFIX, account);
    await accounts.change(account, (a) => accounts.setSecret(a, 'accessToken', accessToken));
    return sendJson(res, 200, { token_type: 'Bearer', access_token: accessToken, expires_in: 3600 });
  }

  /** Whether `signed` is `<token>.<yyyyMMddHHmm>.<RSA-SHA256 signature>` by the key the account keeps, and recent. */
  function signedBy(account: Account<State>, signed: string, token: string): boolean {
    const publicKey = Object.hasOwn(account.secrets, APP_PUBLIC_KEY) ? account.secrets[APP_PUBLIC_KEY] : undefined;
    const dot = signed.lastIndexOf('.');
    const data = signed.slice(0, dot);
    const minute = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(data.slice(token.length + 1));
    if (!publicKey || dot < 0 || !data.startsWith(`${token}.`) || !minute) return false;
    const [, y, mo, d, h, mi] = minute;
    const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
    if (Math.abs(Date.now() - at) > SIGNED_TOKEN_SKEW_MS) return false;
    try {
      return verify('RSA-SHA256', Buffer.from(data), publicKey, Buffer.from(signed.slice(dot + 1), 'base64'));
    } catch {
      return false;
    }
  }

  const jwt = (claims: Record<string, unknown>) => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
    return `${unsigned}.${createHmac('sha256', jwtKey).update(unsigned).digest('base64url')}`;
  };

  /** `POST /Login/api/PartnerSystemUser/Authenticate`: a signed system user token for a new ticket, in a JWT claim. */
  async function systemUserTicket(body: unknown, res: ServerResponse): Promise<void> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const signed = b['SignedSystemToken'];
    const appToken = b['ApplicationToken'];
    if (typeof signed !== 'string' || typeof appToken !== 'string' || signed.length > 8192)
      return sendJson(res, 400, { Error: 'SignedSystemToken and ApplicationToken are required' });
    const token = signed.split('.').slice(0, -2).join('.');
    const account = await accounts.authenticate(accountNamedBy(SYSTEM_PREFIX, token), { systemUserToken: token, appToken });
    const stored = account ? await accounts.read(account) : null;
    if (!account || !stored || b['ContextIdentifier'] !== superofficeTenant(account) || !signedBy(stored, signed, token))
      return sendJson(res, 200, { IsSuccessful: false, Token: null, ErrorMessage: 'The system user token could not be verified' });
    const ticket = mintSecret(TICKET_PREFIX, account);
    await accounts.change(account, (a) => accounts.setSecret(a, 'ticket', ticket));
    const now = Math.floor(Date.now() / 1000);
    return sendJson(res, 200, {
      IsSuccessful: true,
      Token: jwt({
        [TICKET_CLAIM]: ticket,
        'http://schemes.superoffice.net/identity/ctx': superofficeTenant(account),
        iat: now,
        exp: now + 6 * 3600,
      }),
      ErrorMessage: '',
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const r = await recorder.accept(req, res, path);
    if (!r) return;
    if (r.method === 'POST' && path.toLowerCase() === '/login/common/oauth/tokens') return refreshToken(r.query, res);
    if (r.method === 'POST' && path.toLowerCase() === '/login/api/partnersystemuser/authenticate') return systemUserTicket(r.body, res);
    const m = ROUTE.exec(path);
    if (!m) return sendJson(res, 404, { Error: 'Not found' });
    const account = await authenticate(r);
    const tenant = path.split('/')[1] as string;
    // A valid token of another tenant is as good as none.
    if (!account || tenant !== superofficeTenant(account))
      return sendJson(res, 401, { Error: 'Unauthorized', ErrorType: 'UnauthorizedAccessException' });
    const sub = m[1];
    if (m[2] && (r.method !== 'GET' || !sub)) return sendJson(res, 405, { Error: 'Method not allowed' });
    if (r.method === 'GET' && sub === 'default' && !m[2]) {
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
        ErrorsEmail: null,
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
        const added: StoredHook = { WebhookId: state.nextId++, ...v, ConsecutiveErrors: 0, LastError: null };
        state.hooks.push(added);
        return added;
      });
      if (!hook) return sendJson(res, 400, { Error: `At most ${MAX_HOOKS_PER_ACCOUNT} webhooks` });
      return sendJson(res, 200, withLinks(hook, tenant));
    }
    const current = (await accounts.read(account))?.state.hooks.find((h) => String(h.WebhookId) === sub);
    if (!current) return sendJson(res, 404, { Error: `Webhook ${sub} not found` });
    if (r.method === 'GET' && m[2]) return sendJson(res, 200, current.LastError ?? '');
    if (r.method === 'GET') return sendJson(res, 200, withLinks(current, tenant));
    if (r.method === 'PUT' || r.method === 'PATCH') {
      let next: unknown;
      if (r.method === 'PUT') next = r.body;
      else {
        try {
          const type = header(r, 'content-type') ?? '';
          next = Array.isArray(r.body)
            ? applyJsonPatch(current, r.body)
            : /merge-patch/i.test(type) && typeof r.body === 'object' && r.body !== null
              ? applyMergePatch(current, r.body as Record<string, unknown>)
              : null;
          if (next === null) return sendJson(res, 400, { Error: 'PATCH takes a JSON Patch array or a JSON Merge Patch object' });
        } catch (error) {
          if (error instanceof PatchError) return sendJson(res, error.status, { Error: error.message });
          throw error;
        }
      }
      const v = validate(next);
      if (typeof v === 'string') return sendJson(res, 400, { Error: v });
      // Saving goes through the WebhookManager, which tests a new TargetUrl first (subscription.md).
      if (v.TargetUrl !== current.TargetUrl && (await ping(v, tenant)).status !== 200)
        return sendJson(res, 400, { Error: 'Webhook test failed' });
      const saved = await accounts.change(account, ({ state }) => {
        const hook = state.hooks.find((h) => h.WebhookId === current.WebhookId);
        if (!hook) return null;
        const before = hook.State;
        Object.assign(hook, v, { Registered: hook.Registered, Updated: soTime() });
        if (hook.State === 'Active' && before !== 'Active') hook.ConsecutiveErrors = 0;
        return { hook: structuredClone(hook), changed: before !== hook.State };
      });
      if (!saved) return sendJson(res, 404, { Error: `Webhook ${sub} not found` });
      const action = saved.changed ? actionOf(saved.hook.State) : null;
      if (action) await announce(account, saved.hook.WebhookId, action);
      return sendJson(res, 200, withLinks(saved.hook, tenant));
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

  /**
   * Shape `entity` (default) and `retry-cycle` deliver `eventType` to the Active hooks subscribed to it;
   * their outcomes count towards TooManyErrors. Shape `state` makes the vendor change hooks' State
   * itself: eventType `webhook.stopped|errors|started` (default stopped) applies to every hook that is
   * not already in that state, `webhook<id>.<action>` to that hook only; each change fires its state event
   * to the hooks listing it, and those deliveries are answered.
   */
  async function trigger(eventType: string, { account, shape = 'entity' }: TriggerOptions): Promise<SandboxDelivery[]> {
    const tenant = superofficeTenant(account);
    const all = (await accounts.read(account))?.state.hooks ?? [];
    if (shape === 'state') {
      const one = parseStateEvent(eventType);
      const action =
        one?.action ?? (/^webhook\.(started|stopped|errors)$/.exec(eventType)?.[1] as SuperofficeStateAction | undefined) ?? 'stopped';
      const out: SandboxDelivery[] = [];
      for (const h of all.filter((x) => !one || String(x.WebhookId) === one.id))
        out.push(...(await setState(account, h.WebhookId, STATE_OF_ACTION[action])));
      return out;
    }
    const hooks = all.filter((h) => h.State === 'Active' && acceptsDeliveryUrl(h.TargetUrl));
    const entity = eventType.split('.')[0] as string;
    const timestamp = soTime();
    const primaryKey = Math.floor(Math.random() * 100_000);
    const cycles = shape === 'retry-cycle' ? 2 : 1;
    const out: SandboxDelivery[] = [];
    for (const h of hooks.filter((x) => x.Events.includes(eventType))) {
      for (let cycle = 0; cycle < cycles; cycle++) {
        // A new retry cycle has a new EventId, but the same entity, key, event and timestamp (VENDORS.md §5.4).
        const eventId = randomUUID();
        const delivery = await send(
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
        );
        out.push(delivery);
        await record(account, h.WebhookId, delivery.status);
      }
    }
    return out;
  }

  return {
    provider: 'SUPEROFFICE',
    handle,
    async openAccount({ form } = {}) {
      const { account, credentials } = await accounts.open(form);
      return { account, basePath: `/${superofficeTenant(account)}`, credentials: await withAppKey(account, form, credentials) };
    },
    // The long-lived credential names the account: refresh token, system user token, else the token or ticket.
    accountOf: (credentials) => {
      const refresh = stringField(credentials, 'refreshToken');
      if (refresh !== undefined)
        return accounts.authenticate(accountNamedBy(REFRESH_PREFIX, refresh), {
          refreshToken: refresh,
          clientSecret: stringField(credentials, 'clientSecret'),
        });
      const system = stringField(credentials, 'systemUserToken');
      if (system !== undefined)
        return accounts.authenticate(accountNamedBy(SYSTEM_PREFIX, system), {
          systemUserToken: system,
          appToken: stringField(credentials, 'appToken'),
        });
      const accessToken = stringField(credentials, 'accessToken');
      if (accessToken !== undefined) return accounts.authenticate(accountNamedBy(TOKEN_PREFIX, accessToken), { accessToken });
      const ticket = stringField(credentials, 'ticket');
      return accounts.authenticate(accountNamedBy(TICKET_PREFIX, ticket), { ticket, appToken: stringField(credentials, 'appToken') });
    },
    basePath: (account) => `/${superofficeTenant(account)}`,
    credentialsFor: (name, form) => {
      const credentials = accounts.fixture(name, form);
      if (form !== 'system') return credentials;
      // A fixture changes in place at once: the public key is kept before the form is handed out.
      const { privateKey, publicKey } = appKeyPair();
      void accounts.change(name, (a) => {
        a.secrets[APP_PUBLIC_KEY] = publicKey;
      });
      return { ...credentials, privateKey };
    },
    trigger,
    ...sandboxControls(recorder, accounts.reset),
    /** The access token and the ticket stop working (they expired); refresh and the system user flow issue new ones. */
    expireCredentials: (account) =>
      accounts.change(account, (a) => {
        accounts.setSecret(a, 'accessToken', mintSecret(TOKEN_PREFIX, account));
        accounts.setSecret(a, 'ticket', mintSecret(TICKET_PREFIX, account));
      }),
    /** Someone deleted hook `webhookId`'s Secret at the vendor: its deliveries go unsigned. */
    removeSecret: (account, webhookId) =>
      accounts.change(account, ({ state }) => {
        const hook = state.hooks.find((h) => String(h.WebhookId) === webhookId);
        if (hook) hook.Secret = null;
        return hook !== undefined;
      }),
  };
}
