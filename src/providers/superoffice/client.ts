import { createSign } from 'node:crypto';
import { ProviderError } from '../../domain/errors.js';
import { type HttpRequest, type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, isStringArray, prop, readList, readOne, stringRecord, text } from '../json.js';
import type { ConnectorContext } from '../types.js';
import {
  type SuperofficeListFilters,
  type SuperofficePatchOp,
  type SuperofficeSystemUserWire,
  type SuperofficeTestResult,
  type SuperofficeTokenWire,
  type SuperofficeWebhookBody,
  type SuperofficeWebhookWire,
  TICKET_CLAIM,
} from './wire.js';

/**
 * OAuth: the access token, and what renews it (VENDORS.md §5.2): the refresh token with the app's
 * client id and secret (and the redirect URI registered with them, where the app has one).
 */
export interface SuperofficeOAuthCredentials {
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
}

/**
 * System user: the ticket with the application token (`SO-AppToken`, the client secret), and what
 * re-issues the ticket (get-system-user-ticket.md): the tenant's system user token and the app's RSA
 * private key (PEM) that signs it. The ticket may be absent when those two are given: one is issued first.
 */
export interface SuperofficeTicketCredentials {
  ticket?: string;
  appToken: string;
  systemUserToken?: string;
  privateKey?: string;
}

export type SuperofficeCredentials = SuperofficeOAuthCredentials | SuperofficeTicketCredentials;

const isOAuth = (c: SuperofficeCredentials): c is SuperofficeOAuthCredentials => 'accessToken' in c && typeof c.accessToken === 'string';

/** Whether these credentials carry what renews them on a 401. */
export function canRenew(c: SuperofficeCredentials): boolean {
  return isOAuth(c) ? Boolean(c.refreshToken && c.clientId && c.clientSecret) : Boolean(c.systemUserToken && c.privateKey);
}

/** The LastError text kept: the vendor's words, one line, bounded. */
const MAX_LAST_ERROR = 500;
/** A system-user JWT is a few KiB; anything far larger is not one. */
const MAX_JWT = 16 * 1024;
const SAFE_TOKEN = /^[\x21-\x7e]{1,4096}$/;

function narrowWebhook(v: unknown): SuperofficeWebhookWire | null {
  if (!isObject(v) || typeof v['WebhookId'] !== 'number' || typeof v['TargetUrl'] !== 'string') return null;
  const events = v['Events'];
  if (!isStringArray(events)) return null;
  const state = v['State'];
  return {
    WebhookId: v['WebhookId'],
    Name: typeof v['Name'] === 'string' ? v['Name'] : null,
    Events: events,
    TargetUrl: v['TargetUrl'],
    Secret: typeof v['Secret'] === 'string' ? v['Secret'] : null,
    State: typeof state === 'string' || typeof state === 'number' ? state : 'Unknown',
    Type: typeof v['Type'] === 'string' ? v['Type'] : 'webhook',
    Headers: stringRecord(v['Headers']),
    Properties: isObject(v['Properties']) ? v['Properties'] : {},
    ErrorsEmail: text(v['ErrorsEmail']),
    Registered: typeof v['Registered'] === 'string' ? v['Registered'] : null,
    Updated: typeof v['Updated'] === 'string' ? v['Updated'] : null,
  };
}

function narrowTestResult(v: unknown): SuperofficeTestResult | null {
  if (!isObject(v) || typeof v['Success'] !== 'boolean') return null;
  return { Success: v['Success'], Message: typeof v['Message'] === 'string' ? v['Message'] : null };
}

function narrowToken(v: unknown): SuperofficeTokenWire | null {
  const accessToken = text(prop(v, 'access_token'));
  if (accessToken === null || !SAFE_TOKEN.test(accessToken)) return null;
  const refresh = text(prop(v, 'refresh_token'));
  return { access_token: accessToken, refresh_token: refresh !== null && SAFE_TOKEN.test(refresh) ? refresh : null };
}

function narrowSystemUser(v: unknown): SuperofficeSystemUserWire | null {
  if (!isObject(v) || typeof v['IsSuccessful'] !== 'boolean') return null;
  return { IsSuccessful: v['IsSuccessful'], Token: text(v['Token']) };
}

/** The ticket claim of a system-user JWT, or null. The JWT came over TLS from the login host just called. */
export function ticketOfJwt(jwt: string): string | null {
  if (jwt.length > MAX_JWT) return null;
  const payload = jwt.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const ticket = text(prop(claims, TICKET_CLAIM));
    return ticket !== null && SAFE_TOKEN.test(ticket) ? ticket : null;
  } catch {
    return null;
  }
}

/** `yyyyMMddHHmm` in UTC, the timestamp of a signed system user token. */
const signingTime = (d: Date) => d.toISOString().slice(0, 16).replace(/[-T:]/g, '');

/**
 * `<system user token>.<yyyyMMddHHmm>.<base64 RSA-SHA256 signature of the first two>`
 * (sign-system-user-token.md).
 */
export function signSystemUserToken(systemUserToken: string, privateKey: string, now = new Date()): string {
  const data = `${systemUserToken}.${signingTime(now)}`;
  return `${data}.${createSign('RSA-SHA256').update(data, 'utf8').sign(privateKey, 'base64')}`;
}

/**
 * Where tokens and tickets are issued, and the tenant, from the tenant's base URL
 * (`https://online3.superoffice.com/Cust12345`): the login service lives on the root sub-domain
 * (`online`, `sod`, `qaonline`: VENDORS.md §5.2 "use only the root sub-domains for token calls"),
 * beside the tenant path; elsewhere (onsite, the sandbox) it is the base URL without the tenant.
 */
export function superofficeLogin(baseUrl: string): { loginBase: string; tenant: string | null } {
  const url = new URL(baseUrl);
  const parts = url.pathname.split('/').filter(Boolean);
  const tenant = parts.pop() ?? null;
  const root = /^(sod|qaonline|online)\d*\.superoffice\.com$/i.exec(url.hostname);
  if (root) url.hostname = `${(root[1] as string).toLowerCase()}.superoffice.com`;
  url.pathname = parts.length ? `/${parts.join('/')}` : '';
  return { loginBase: url.toString().replace(/\/+$/, ''), tenant };
}

/**
 * The REST Webhook agent (`/api/v1/Webhook`, VENDORS.md §5.1) under the tenant's base URL. A 401 renews
 * the credentials once (OAuth refresh token, or a new system-user ticket), saves them through
 * ctx.saveCredentials, and repeats the call once.
 */
export function createSuperofficeClient(ctx: ConnectorContext<SuperofficeCredentials>) {
  const base = `${ctx.baseUrl.replace(/\/+$/, '')}/api/v1/Webhook`;
  let credentials = ctx.credentials;
  /** The renewal in flight: concurrent 401s wait for one renewal, not one each. */
  let renewing: Promise<void> | null = null;

  const auth = (c: SuperofficeCredentials): Record<string, string> =>
    isOAuth(c) ? { authorization: `Bearer ${c.accessToken}` } : { authorization: `SOTicket ${c.ticket ?? ''}`, 'so-apptoken': c.appToken };

  const refused = (status: number | null, cause: unknown) =>
    new ProviderError(`SUPEROFFICE refused to renew the stored credentials${status === null ? '' : ` (HTTP ${status})`}`, {
      provider: 'SUPEROFFICE',
      status: 401,
      cause,
    });

  async function renewAccessToken(c: SuperofficeOAuthCredentials): Promise<SuperofficeCredentials> {
    const res = await ctx.http.send({
      method: 'POST',
      url: `${superofficeLogin(ctx.baseUrl).loginBase}/login/common/oauth/tokens`,
      query: {
        grant_type: 'refresh_token',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        refresh_token: c.refreshToken,
        redirect_uri: c.redirectUri,
      },
      // The refresh token stays valid until one refresh succeeds: a lost answer may be asked again.
      idempotent: true,
    });
    const token = readOne(res.body, narrowToken, () => unreadableAnswer('SUPEROFFICE', 'a token', res));
    return { ...c, accessToken: token.access_token, ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}) };
  }

  async function issueTicket(c: SuperofficeTicketCredentials): Promise<SuperofficeCredentials> {
    const { loginBase, tenant } = superofficeLogin(ctx.baseUrl);
    if (!tenant || !c.systemUserToken || !c.privateKey) throw refused(null, undefined);
    let signed: string;
    try {
      signed = signSystemUserToken(c.systemUserToken, c.privateKey);
    } catch (cause) {
      throw new ProviderError('the stored SuperOffice privateKey cannot sign the system user token', {
        provider: 'SUPEROFFICE',
        status: 401,
        cause,
      });
    }
    const res = await ctx.http.send({
      method: 'POST',
      url: `${loginBase}/Login/api/PartnerSystemUser/Authenticate`,
      json: { SignedSystemToken: signed, ApplicationToken: c.appToken, ContextIdentifier: tenant, ReturnTokenType: 'JWT' },
      // Each exchange issues a fresh ticket and changes nothing else: safe to repeat.
      idempotent: true,
    });
    const answer = readOne(res.body, narrowSystemUser, () => unreadableAnswer('SUPEROFFICE', 'a system user ticket', res));
    const ticket = answer.IsSuccessful && answer.Token ? ticketOfJwt(answer.Token) : null;
    if (ticket === null) throw refused(res.status, undefined);
    return { ...c, ticket };
  }

  /** Renews once for every caller that saw a 401 on the same credentials, then saves the new ones. */
  function renew(): Promise<void> {
    renewing ??= (async () => {
      try {
        const c = credentials;
        let next: SuperofficeCredentials;
        try {
          next = isOAuth(c) ? await renewAccessToken(c) : await issueTicket(c);
        } catch (error) {
          if (error instanceof ProviderError && error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 429)
            throw refused(error.status, error);
          throw error;
        }
        credentials = next;
        await ctx.saveCredentials(next);
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  async function send(req: HttpRequest): Promise<HttpResponse> {
    // A system user without a ticket yet gets one before the first call.
    if (!isOAuth(credentials) && !credentials.ticket && canRenew(credentials)) await renew();
    const used = credentials;
    const attempt = () => ctx.http.send({ ...req, headers: { ...auth(credentials), ...req.headers } });
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status !== 401 || !canRenew(used)) throw error;
      // Another call may have renewed them meanwhile: then only the repeat is left.
      if (credentials === used) await renew();
      return attempt();
    }
  }

  const one = (res: HttpResponse, what: string) => readOne(res.body, narrowWebhook, () => unreadableAnswer('SUPEROFFICE', what, res));
  const member = (id: string) => `${base}/${encodeURIComponent(id)}`;

  return {
    async defaults(): Promise<void> {
      await send({ method: 'GET', url: `${base}/default` });
    },
    async list(filters: SuperofficeListFilters = {}): Promise<SuperofficeWebhookWire[]> {
      const res = await send({ method: 'GET', url: base, query: { ...filters } });
      return readList(res.body, narrowWebhook, () => unreadableAnswer('SUPEROFFICE', 'a webhook list', res));
    },
    async get(id: string): Promise<SuperofficeWebhookWire | null> {
      const res = await send({ method: 'GET', url: member(id), acceptStatus: [404] });
      return res.status === 404 ? null : one(res, 'a webhook');
    },
    /** SuperOffice POSTs a test event to TargetUrl inside this call and fails it unless that answers 200. */
    async create(body: SuperofficeWebhookBody): Promise<SuperofficeWebhookWire> {
      return one(await send({ method: 'POST', url: base, json: body }), 'a created webhook');
    },
    /**
     * JSON Patch (RFC 6902) of the named fields only. Callers send `replace` operations alone, which
     * give the same result however often they are applied, so a failed attempt may be repeated.
     */
    async patch(id: string, ops: readonly SuperofficePatchOp[]): Promise<SuperofficeWebhookWire> {
      const res = await send({
        method: 'PATCH',
        url: member(id),
        headers: { 'content-type': 'application/json-patch+json' },
        json: ops,
        idempotent: ops.every((o) => o.op === 'replace' || o.op === 'test'),
      });
      return one(res, 'a patched webhook');
    },
    async setState(id: string, state: 'Active' | 'Stopped'): Promise<SuperofficeWebhookWire> {
      return this.patch(id, [{ op: 'replace', path: '/State', value: state }]);
    },
    /** `GET /Webhook/{id}/LastError`: a JSON string; one line of at most MAX_LAST_ERROR characters, or null. */
    async lastError(id: string): Promise<string | null> {
      const res = await send({ method: 'GET', url: `${member(id)}/LastError`, acceptStatus: [404] });
      const message = res.status === 404 ? null : text(res.body);
      if (message === null) return null;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      const line = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
      return line === '' ? null : line.slice(0, MAX_LAST_ERROR);
    },
    async remove(id: string): Promise<void> {
      await send({ method: 'DELETE', url: member(id), acceptStatus: [404] });
    },
    async test(body: SuperofficeWebhookBody): Promise<SuperofficeTestResult> {
      const res = await send({ method: 'POST', url: `${base}/Test`, json: body, idempotent: true });
      return readOne(res.body, narrowTestResult, () => unreadableAnswer('SUPEROFFICE', 'a test result', res));
    },
  };
}
