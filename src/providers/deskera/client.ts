import { ProviderError } from '../../domain/errors.js';
import { type HttpRequest, type HttpResponse, unreadableAnswer } from '../http.js';
import { isObject, prop, readList, readOne, text } from '../json.js';
import type { ConnectorContext } from '../types.js';
import type { DeskeraHookWire, DeskeraRegisterBody, DeskeraTokenWire } from './wire.js';

export interface DeskeraCredentials {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
}

function narrowHook(v: unknown): DeskeraHookWire | null {
  if (!isObject(v)) return null;
  const { hookId, eventType, webhookUrl, deleted } = v;
  if ((typeof hookId !== 'number' && typeof hookId !== 'string') || typeof eventType !== 'string' || typeof webhookUrl !== 'string')
    return null;
  return { hookId: Number(hookId), eventType, webhookUrl, deleted: deleted === true };
}

function narrowToken(v: unknown): DeskeraTokenWire | null {
  const accessToken = text(prop(v, 'access_token'));
  return accessToken === null ? null : { access_token: accessToken, refresh_token: text(prop(v, 'refresh_token')) };
}

/** The three webhook endpoints of the seed, plus token validation and refresh (docs/books/oauthv2.md). */
export function createDeskeraClient(ctx: ConnectorContext<DeskeraCredentials>) {
  const base = ctx.baseUrl.replace(/\/+$/, '');
  let credentials = ctx.credentials;

  /** Every call carries `x-access-token`; a 401 refreshes the token once and repeats the call. */
  async function send(req: Omit<HttpRequest, 'headers'>): Promise<HttpResponse> {
    const attempt = () => ctx.http.send({ ...req, headers: { 'x-access-token': credentials.accessToken } });
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status !== 401) throw error;
      await refresh();
      return attempt();
    }
  }

  async function refresh(): Promise<void> {
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    const res = await ctx.http.send({
      method: 'POST',
      url: `${base}/v2/oauth/token`,
      query: { grant_type: 'refresh_token', refresh_token: credentials.refreshToken },
      headers: { authorization: `Basic ${basic}` },
      // A refresh that failed midway can be repeated: the old refresh token stays valid until one succeeds.
      idempotent: true,
    });
    const token = readOne(res.body, narrowToken, () => unreadableAnswer('DESKERA', 'a token', res));
    credentials = { ...credentials, accessToken: token.access_token, refreshToken: token.refresh_token ?? credentials.refreshToken };
    await ctx.saveCredentials(credentials);
  }

  return {
    async validate(): Promise<void> {
      await send({ method: 'GET', url: `${base}/v1/iam/token/app/validate` });
    },
    async list(): Promise<DeskeraHookWire[]> {
      const res = await send({ method: 'GET', url: `${base}/v1/webhooks` });
      return readList(res.body, narrowHook, () => unreadableAnswer('DESKERA', 'a webhook list', res));
    },
    async register(eventType: string, webhookUrl: string): Promise<DeskeraHookWire> {
      const body: DeskeraRegisterBody = { ...credentials, eventType, webhookUrl };
      const res = await send({ method: 'POST', url: `${base}/v1/webhooks/register`, json: body });
      return readOne(res.body, narrowHook, () => unreadableAnswer('DESKERA', 'a registered webhook', res));
    },
    async deregister(hookId: string): Promise<void> {
      await send({ method: 'DELETE', url: `${base}/v1/webhooks/delete/${encodeURIComponent(hookId)}`, acceptStatus: [404] });
    },
  };
}
