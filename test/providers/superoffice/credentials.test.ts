import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, ValidationError } from '../../../src/domain/errors.js';
import { createHttpClient } from '../../../src/providers/http.js';
import {
  type SuperofficeCredentials,
  signSystemUserToken,
  superofficeLogin,
  ticketOfJwt,
} from '../../../src/providers/superoffice/client.js';
import { superofficeProvider } from '../../../src/providers/superoffice/index.js';
import { createSuperofficeSandbox } from '../../../src/sandbox/superoffice.js';
import { type SandboxServer, startSandboxServer } from '../../utils/sandbox-server.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return { message: e.message, field: e.field };
    throw e;
  }
  return null;
};

describe('SuperOffice credentials', () => {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const parse = (input: unknown) => superofficeProvider.parseCredentials(input);

  it('reads an access token alone, or with what refreshes it (GraphQL `oauth`, or flat as stored)', () => {
    expect(parse({ accessToken: ' t ' })).toEqual({ accessToken: 't' });
    const full = { accessToken: 't', refreshToken: 'r', clientId: 'c', clientSecret: 's', redirectUri: 'https://app.example/cb' };
    expect(parse({ oauth: full })).toEqual(full);
    expect(parse(full)).toEqual(full);
    expect(parse({ oauth: { accessToken: 't', refreshToken: null } })).toEqual({ accessToken: 't' });
    expect(refusal(() => parse({ oauth: { accessToken: 't', refreshToken: 'r' } }))?.field).toBe('credentials.superoffice');
  });

  it('reads a ticket, or a system user token with the private key that signs it', () => {
    expect(parse({ ticket: { ticket: 't', appToken: 'a' } })).toEqual({ ticket: 't', appToken: 'a' });
    expect(parse({ ticket: 't', appToken: 'a' })).toEqual({ ticket: 't', appToken: 'a' });
    const system = { appToken: 'a', systemUserToken: 'App-xyz', privateKey };
    expect(parse({ ticket: system })).toEqual({ ...system, privateKey: privateKey.trim() });
    expect(parse(system)).toEqual({ ...system, privateKey: privateKey.trim() });
    expect(refusal(() => parse({ ticket: { appToken: 'a' } }))).not.toBeNull();
    expect(refusal(() => parse({ ticket: { appToken: 'a', systemUserToken: 'App-xyz', privateKey: 'not a key' } }))).not.toBeNull();
    expect(refusal(() => parse({ ticket: { ticket: 't', appToken: 'a', systemUserToken: 'App-xyz' } }))).not.toBeNull();
  });

  it('never takes both forms, and never echoes a value', () => {
    expect(refusal(() => parse({ accessToken: 't', ticket: 'x' }))).toEqual({
      message: 'SuperOffice needs either an accessToken, or a ticket with an appToken',
      field: 'credentials.superoffice',
    });
    expect(JSON.stringify(refusal(() => parse({ oauth: { accessToken: 'secret-abc\n' } })))).not.toContain('secret-abc');
  });

  it('signs the system user token as `<token>.<yyyyMMddHHmm>.<base64 RSA-SHA256>`', () => {
    const signed = signSystemUserToken('App-xyz', privateKey, new Date('2026-11-30T14:05:59Z'));
    expect(signed).toMatch(/^App-xyz\.202611301405\.[A-Za-z0-9+/]+=*$/);
  });

  it('finds the login service on the root sub-domain, beside the tenant', () => {
    expect(superofficeLogin('https://online3.superoffice.com/Cust12345')).toEqual({
      loginBase: 'https://online.superoffice.com',
      tenant: 'Cust12345',
    });
    expect(superofficeLogin('https://sod.superoffice.com/Cust1')).toEqual({ loginBase: 'https://sod.superoffice.com', tenant: 'Cust1' });
    expect(superofficeLogin('http://127.0.0.1:9/sandbox/superoffice/Cust2')).toEqual({
      loginBase: 'http://127.0.0.1:9/sandbox/superoffice',
      tenant: 'Cust2',
    });
  });

  it('reads the ticket claim of a JWT, and nothing from anything else', () => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${part({ alg: 'RS256' })}.${part({ 'http://schemes.superoffice.net/identity/ticket': '7T:abc' })}.sig`;
    expect(ticketOfJwt(jwt)).toBe('7T:abc');
    expect(ticketOfJwt('not-a-jwt')).toBeNull();
    expect(ticketOfJwt(`${part({})}.${part({ other: 1 })}.s`)).toBeNull();
    expect(ticketOfJwt(`${part({})}.${part({ 'http://schemes.superoffice.net/identity/ticket': 'a\nb' })}.s`)).toBeNull();
  });
});

describe('SuperOffice credential renewal against the sandbox', () => {
  const sandbox = createSuperofficeSandbox();
  let server: SandboxServer;
  const saved: SuperofficeCredentials[] = [];
  let n = 0;
  /** A fresh fixture account per test: expiring credentials changes them for good. */
  let account = '';
  const connector = (credentials: SuperofficeCredentials) =>
    superofficeProvider.createConnector({
      baseUrl: server.mountUrl + sandbox.basePath(account),
      credentials,
      http: createHttpClient('SUPEROFFICE', { retries: 1, baseDelayMs: 1, timeoutMs: 2_000 }),
      saveCredentials: async (c) => {
        saved.push(c);
      },
    });
  const paths = () => sandbox.requests.map((r) => `${r.method} ${r.path.replace(sandbox.basePath(account), '')}`);

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    account = `renew-${++n}`;
    await sandbox.reset();
    saved.length = 0;
  });

  it('refreshes an expired OAuth access token once, saves it, and repeats the call', async () => {
    const creds = superofficeProvider.parseCredentials(sandbox.credentialsFor(account, 'oauth'));
    await sandbox.expireCredentials(account);
    expect(await connector(creds).listWebhooks()).toEqual([]);
    expect(paths()).toEqual(['GET /api/v1/Webhook', 'POST /login/common/oauth/tokens', 'GET /api/v1/Webhook']);
    const refresh = sandbox.requests[1];
    expect(refresh?.query).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: (creds as { refreshToken: string }).refreshToken,
      client_id: (creds as { clientId: string }).clientId,
    });
    expect(saved).toHaveLength(1);
    const next = saved[0] as { accessToken: string; refreshToken: string };
    expect(next.accessToken).not.toBe((creds as { accessToken: string }).accessToken);
    expect(next.refreshToken).toBe((creds as { refreshToken: string }).refreshToken);
    expect(sandbox.requests[2]?.headers['authorization']).toBe(`Bearer ${next.accessToken}`);
    expect(await sandbox.accountOf(next)).toBe(account);
  });

  it('renews once for calls that fail together', async () => {
    const creds = superofficeProvider.parseCredentials(sandbox.credentialsFor(account, 'oauth'));
    await sandbox.expireCredentials(account);
    const c = connector(creds);
    await Promise.all([c.listWebhooks(), c.listWebhooks(), c.verifyCredentials()]);
    expect(paths().filter((p) => p.startsWith('POST /login'))).toHaveLength(1);
    expect(saved).toHaveLength(1);
  });

  it('gives up with a 401 when the refresh token is refused, without echoing anything', async () => {
    const creds = {
      ...(superofficeProvider.parseCredentials(sandbox.credentialsFor(account, 'oauth')) as object),
      refreshToken: 'revoked-refresh-456',
    };
    await sandbox.expireCredentials(account);
    const err = (await connector(creds as SuperofficeCredentials)
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(401);
    expect(err.message).not.toMatch(/revoked-refresh-456|sbx-so/);
    expect(paths()).toEqual(['GET /api/v1/Webhook', 'POST /login/common/oauth/tokens']);
    expect(saved).toEqual([]);
  });

  it('does not renew an access token without a refresh token', async () => {
    const creds = superofficeProvider.parseCredentials(sandbox.credentialsFor(account));
    await sandbox.expireCredentials(account);
    await expect(connector(creds).listWebhooks()).rejects.toMatchObject({ status: 401 });
    expect(paths()).toEqual(['GET /api/v1/Webhook']);
  });

  it('issues a system user ticket before the first call, and a new one when it expires', async () => {
    const creds = superofficeProvider.parseCredentials(sandbox.credentialsFor(account, 'system'));
    const c = connector(creds);
    await c.listWebhooks();
    expect(paths()).toEqual(['POST /Login/api/PartnerSystemUser/Authenticate', 'GET /api/v1/Webhook']);
    const exchange = sandbox.requests[0]?.body as Record<string, string>;
    expect(exchange).toMatchObject({
      ApplicationToken: (creds as { appToken: string }).appToken,
      ContextIdentifier: sandbox.basePath(account).slice(1),
      ReturnTokenType: 'JWT',
    });
    expect(exchange['SignedSystemToken']?.startsWith(`${(creds as { systemUserToken: string }).systemUserToken}.`)).toBe(true);
    const first = saved[0] as { ticket: string; appToken: string };
    expect(sandbox.requests[1]?.headers['authorization']).toBe(`SOTicket ${first.ticket}`);
    expect(sandbox.requests[1]?.headers['so-apptoken']).toBe(first.appToken);

    await sandbox.expireCredentials(account);
    await c.listWebhooks();
    expect(paths().slice(2)).toEqual(['GET /api/v1/Webhook', 'POST /Login/api/PartnerSystemUser/Authenticate', 'GET /api/v1/Webhook']);
    const second = saved[1] as { ticket: string };
    expect(second.ticket).not.toBe(first.ticket);
    expect(await sandbox.accountOf(second)).toBe(account);
  });

  it('refuses a system user token signed by another key', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const creds = { ...sandbox.credentialsFor(account, 'system'), privateKey: other.privateKey };
    const err = (await connector(superofficeProvider.parseCredentials(creds))
      .listWebhooks()
      .catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.status).toBe(401);
    expect(saved).toEqual([]);
  });
});
