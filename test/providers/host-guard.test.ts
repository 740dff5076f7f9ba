import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_HOSTS } from '../../src/config.js';
import { ValidationError } from '../../src/domain/errors.js';
import { createHostGuard, type ResolveAll } from '../../src/providers/host-guard.js';
import { createHttpClient } from '../../src/providers/http.js';
import { ConnectProviderDocument } from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';

/** A resolver answering from a table, counting its calls: the only DNS the guarded connection makes. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: ResolveAll = (hostname, _options, callback) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return { resolve, calls };
}

/** Runs the guard's lookup the way net.connect does (with `all: true` since Node 20's autoSelectFamily). */
function lookupAll(lookup: ReturnType<typeof createHostGuard>['lookup'], hostname: string, all = true) {
  return new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) =>
    lookup(hostname, { all }, (error, address) => resolve({ error, address })),
  );
}

describe('host guard: the URL', () => {
  const { assertAllowedUrl: strict } = createHostGuard({ allowedHosts: DEFAULT_ALLOWED_HOSTS });

  it("allows the vendors' public hosts and per-company subdomains, on 443", () => {
    for (const url of [
      'https://bifrost.deskera.com/v1',
      'https://acme.booqable.com',
      'https://acme.booqable.com:443/api/4',
      'https://online.superoffice.com/Cust12345',
    ]) {
      expect(() => strict(new URL(url)), url).not.toThrow();
    }
  });

  it('refuses an IP literal of every internal class, in every spelling, even when it is on the allowlist', () => {
    const literals = [
      ['https://127.0.0.1', 'loopback'],
      ['https://127.8.9.10', 'loopback'],
      ['https://2130706433', 'loopback'],
      ['https://0x7f.1', 'loopback'],
      ['https://[::1]', 'loopback'],
      ['https://10.0.0.1', 'private'],
      ['https://172.16.5.4', 'private'],
      ['https://172.31.255.255', 'private'],
      ['https://192.168.1.1', 'private'],
      ['https://[fc00::1]', 'private'],
      ['https://[fd12:3456::1]', 'private'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://[fe80::1]', 'link-local'],
      ['https://100.64.0.1', 'shared (CGNAT)'],
      ['https://100.100.100.200', 'shared (CGNAT)'],
      ['https://0.0.0.0', 'unspecified'],
      ['https://[::]', 'unspecified'],
      ['https://[::ffff:127.0.0.1]', 'loopback'],
      ['https://[::ffff:169.254.169.254]', 'link-local'],
      ['https://[::ffff:10.0.0.1]', 'private'],
      ['https://[::127.0.0.1]', 'unspecified'],
      ['https://[64:ff9b::a9fe:a9fe]', 'link-local'],
    ] as const;
    const allowing = createHostGuard({ allowedHosts: ['10.0.0.1', '169.254.169.254', '127.0.0.1'] }).assertAllowedUrl;
    for (const [url, kind] of literals) {
      expect(() => strict(new URL(url)), url).toThrow(ValidationError);
      expect(() => allowing(new URL(url)), url).toThrow(`is a ${kind} address`);
    }
  });

  it('refuses unknown hosts and look-alikes of allowed ones', () => {
    for (const url of ['https://evil.example.com', 'https://booqable.com.evil.io', 'https://evilbooqable.com', 'https://8.8.8.8']) {
      expect(() => strict(new URL(url)), url).toThrow(/not in HOOKGRAPH_ALLOWED_HOSTS/);
    }
  });

  it('refuses an allowed vendor host on any port but 443', () => {
    for (const url of ['https://acme.booqable.com:8443', 'https://bifrost.deskera.com:80/v1', 'https://online.superoffice.com:22']) {
      expect(() => strict(new URL(url)), url).toThrow(/only be called on port 443/);
    }
  });

  it('refuses plain http to vendors and URLs with credentials', () => {
    expect(() => strict(new URL('http://acme.booqable.com'))).toThrow(/https/);
    expect(() => strict(new URL('https://user:pw@acme.booqable.com'))).toThrow(/credentials/);
    expect(() => strict(new URL('ftp://acme.booqable.com'))).toThrow(/scheme/);
  });

  it("allows loopback only on the gateway's own origin and under /sandbox/", () => {
    let origin: string | null = null;
    const { assertAllowedUrl } = createHostGuard({ allowedHosts: DEFAULT_ALLOWED_HOSTS, sandboxOrigin: () => origin });
    const own = new URL('http://127.0.0.1:4000/sandbox/deskera/v1');
    // Before start() bound the port (or with the sandbox off) there is no exception at all.
    expect(() => assertAllowedUrl(own)).toThrow(/loopback/);
    origin = 'http://127.0.0.1:4000';
    expect(() => assertAllowedUrl(own)).not.toThrow();
    for (const url of [
      'http://127.0.0.1:4001/sandbox/deskera',
      'http://127.0.0.1:6379/',
      'https://127.0.0.1:4000/sandbox/deskera',
      'http://localhost:4000/sandbox/deskera',
      'http://[::1]:4000/sandbox/deskera',
    ]) {
      expect(() => assertAllowedUrl(new URL(url)), url).toThrow(ValidationError);
    }
    for (const url of ['http://127.0.0.1:4000/graphql', 'http://127.0.0.1:4000/sandbox', 'http://127.0.0.1:4000/sandbox/../hooks/x']) {
      expect(() => assertAllowedUrl(new URL(url)), url).toThrow(/only the sandbox's \/sandbox\/ paths/);
    }
  });
});

describe('host guard: the resolved address (undici connect hook)', () => {
  const dns = fakeDns({
    'api.vendor.test': ['93.184.216.34'],
    'v6.vendor.test': ['2606:2800:220:1:248:1893:25c8:1946'],
    'loopback.vendor.test': ['127.0.0.1'],
    'metadata.vendor.test': ['169.254.169.254'],
    'private.vendor.test': ['10.1.2.3'],
    'docker.vendor.test': ['172.17.0.2'],
    'home.vendor.test': ['192.168.0.10'],
    'cgnat.vendor.test': ['100.64.1.1'],
    'zero.vendor.test': ['0.0.0.0'],
    'mapped.vendor.test': ['::ffff:192.168.0.1'],
    'ula.vendor.test': ['fd00::1'],
    'linklocal6.vendor.test': ['fe80::1'],
    'mixed.vendor.test': ['93.184.216.34', '10.0.0.1'],
  });
  const guard = createHostGuard({ allowedHosts: ['*.vendor.test'], resolve: dns.resolve });

  it('refuses a vendor name that resolves to an internal address, naming the host but not the address', async () => {
    const cases = {
      'loopback.vendor.test': 'loopback',
      'metadata.vendor.test': 'link-local',
      'private.vendor.test': 'private',
      'docker.vendor.test': 'private',
      'home.vendor.test': 'private',
      'cgnat.vendor.test': 'shared (CGNAT)',
      'zero.vendor.test': 'unspecified',
      'mapped.vendor.test': 'private',
      'ula.vendor.test': 'private',
      'linklocal6.vendor.test': 'link-local',
      'mixed.vendor.test': 'private',
    };
    for (const [host, kind] of Object.entries(cases)) {
      const { error } = await lookupAll(guard.lookup, host);
      expect(error, host).toBeInstanceOf(ValidationError);
      expect(error?.message).toBe(`host ${host} resolves to a ${kind} address`);
      expect((error as ValidationError).field).toBe('baseUrl');
    }
  });

  it('hands a public address to the socket in the shape it asked for', async () => {
    expect((await lookupAll(guard.lookup, 'api.vendor.test')).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(await lookupAll(guard.lookup, 'v6.vendor.test', false)).toEqual({
      error: null,
      address: '2606:2800:220:1:248:1893:25c8:1946',
    });
    expect((await lookupAll(guard.lookup, 'nowhere.vendor.test')).error).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('refuses a vendor call whose host resolves to loopback, after one lookup and without retrying', async () => {
    dns.calls.length = 0;
    const http = createHttpClient('ROOTFI', { ...guard, retries: 2, baseDelayMs: 1 });
    const error = await http.send({ method: 'GET', url: 'https://loopback.vendor.test/v1/ping' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe('host loopback.vendor.test resolves to a loopback address');
    expect(dns.calls).toEqual(['loopback.vendor.test']);
  });

  it('refuses localhost from /etc/hosts when it is on the allowlist and the sandbox is off', async () => {
    const real = createHostGuard({ allowedHosts: ['localhost'] });
    const error = await createHttpClient('DESKERA', { ...real, retries: 0 })
      .send({ method: 'GET', url: 'https://localhost/v1/tenants' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toBe('host localhost resolves to a loopback address');
  });

  it("lets the sandbox origin's own host name resolve to loopback, and nothing else", async () => {
    const named = fakeDns({ localhost: ['127.0.0.1'], 'other.vendor.test': ['127.0.0.1'] });
    const sandboxGuard = createHostGuard({
      allowedHosts: ['*.vendor.test'],
      sandboxOrigin: () => 'http://localhost:4000',
      resolve: named.resolve,
    });
    expect((await lookupAll(sandboxGuard.lookup, 'localhost')).error).toBeNull();
    expect((await lookupAll(sandboxGuard.lookup, 'other.vendor.test')).error).toBeInstanceOf(ValidationError);
    expect(() => sandboxGuard.assertAllowedUrl(new URL('http://localhost:4001/sandbox/x'))).toThrow(ValidationError);
  });
});

describe('host guard in the gateway with the sandbox on', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let bystander: Server;
  let contacted = 0;
  beforeAll(async () => {
    bystander = createServer((_req, res) => {
      contacted++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
    t = await startTestApp();
    tenant = await t.tenant();
  });
  afterAll(async () => {
    await new Promise((resolve) => bystander.close(resolve));
    await t?.stop();
  });

  it('refuses connectProvider to another loopback port without contacting it (no port oracle)', async () => {
    const { port } = bystander.address() as AddressInfo;
    for (const baseUrl of [
      `http://127.0.0.1:${port}/sandbox/rootfi`,
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/sandbox/rootfi`,
      `http://[::ffff:127.0.0.1]:${port}/sandbox/rootfi`,
      `${t.url}/graphql`,
    ]) {
      const { connectProvider } = await gqlData(t.url, tenant.key, ConnectProviderDocument, {
        input: { provider: 'ROOTFI', baseUrl, credentials: { rootfi: { apiKey: 'k' } } },
      });
      expect(connectProvider, baseUrl).toMatchObject({ __typename: 'ValidationError', field: 'baseUrl' });
    }
    expect(contacted).toBe(0);
  });

  it("still calls the sandbox on the gateway's own origin", async () => {
    const mount = t.app.services.sandbox?.mountUrl('ROOTFI') ?? '';
    expect(mount.startsWith(`${t.url}/sandbox/`)).toBe(true);
    const { connectProvider } = await gqlData(t.url, tenant.key, ConnectProviderDocument, {
      input: { provider: 'ROOTFI', baseUrl: mount, credentials: { rootfi: { apiKey: 'wrong' } } },
    });
    // The sandbox answered (and refused the key): the call went through.
    expect(connectProvider).toMatchObject({ __typename: 'ProviderError', status: 401 });
  });
});
