import { type LookupAddress, type LookupAllOptions, lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ValidationError } from '../domain/errors.js';
import { providerHosts } from './registry.js';

/** Resolves every address of a name, like `dns.lookup(name, { all: true })`; injectable for tests. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface HostGuardOptions {
  /**
   * Hosts outbound vendor calls may reach; `*.booqable.com` style wildcards (see config.allowedHosts). null:
   * the hosts every provider definition declares.
   */
  allowedHosts: readonly string[] | null;
  /**
   * The gateway's own origin (`http://127.0.0.1:4000`) while the sandbox is on, else null. A function because
   * the port is known only once `start()` has bound it.
   * @default () => null
   */
  sandboxOrigin?: () => string | null;
  /** The only paths allowed on the sandbox origin. @default '/sandbox/' */
  sandboxPathPrefix?: string;
  /** The one DNS resolution of a vendor call, wrapped by `lookup`. @default dns.lookup */
  resolve?: ResolveAll;
}

export interface HostGuard {
  /**
   * Throws a ValidationError naming the host when a URL may not be called: scheme, credentials, host not
   * allowed, a port other than 443, or an IP literal of an internal class. No DNS here.
   */
  assertAllowedUrl(url: URL): void;
  /**
   * A `net` lookup for undici's connect hook (`new Agent({ connect: { lookup } })`): the address a vendor
   * host resolves to is checked on the very lookup the socket connects with, so there is no second
   * resolution that DNS rebinding could answer differently.
   */
  lookup: LookupFunction;
}

/** Address classes no vendor call may reach, each with the name used in refusals. */
const INTERNAL: ReadonlyArray<{ label: string; v4: readonly string[]; v6: readonly string[] }> = [
  // ::/96 also holds the deprecated IPv4-compatible forms (::7f00:1), which some stacks still route.
  { label: 'loopback', v4: ['127.0.0.0/8'], v6: ['::1/128'] },
  { label: 'unspecified', v4: ['0.0.0.0/8'], v6: ['::/96'] },
  {
    label: 'private',
    v4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '192.0.0.0/24', '198.18.0.0/15'],
    v6: ['fc00::/7', 'fec0::/10'],
  },
  // 169.254.169.254 is the cloud metadata service.
  { label: 'link-local', v4: ['169.254.0.0/16'], v6: ['fe80::/10'] },
  { label: 'shared (CGNAT)', v4: ['100.64.0.0/10'], v6: [] },
  { label: 'multicast or reserved', v4: ['224.0.0.0/4', '240.0.0.0/4'], v6: ['ff00::/8', '100::/64'] },
];

const CLASSES = INTERNAL.map(({ label, v4, v6 }) => {
  const list = new BlockList();
  for (const cidr of v4) addSubnet(list, cidr, 'ipv4');
  for (const cidr of v6) addSubnet(list, cidr, 'ipv6');
  return { label, list };
});

function addSubnet(list: BlockList, cidr: string, type: 'ipv4' | 'ipv6'): void {
  const [network, prefix] = cidr.split('/') as [string, string];
  list.addSubnet(network, Number(prefix), type);
}

/** NAT64 (RFC 6052 well-known prefix) carries an IPv4 address in its last 32 bits. */
const NAT64 = /^64:ff9b::(?:([0-9a-f]{1,4}):([0-9a-f]{1,4})|(\d+\.\d+\.\d+\.\d+))$/i;

/**
 * The internal class of an IP address, or null for a public one. IPv4-mapped IPv6 (`::ffff:10.0.0.1`)
 * is matched by BlockList against the IPv4 ranges.
 */
export function internalAddressClass(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { label, list } of CLASSES) if (list.check(address, type)) return label;
  const nat64 = family === 6 ? NAT64.exec(address) : null;
  if (nat64) {
    const v4 = nat64[3] ?? hexPairToIPv4(nat64[1] as string, nat64[2] as string);
    return internalAddressClass(v4);
  }
  return null;
}

function hexPairToIPv4(high: string, low: string): string {
  const h = Number.parseInt(high, 16);
  const l = Number.parseInt(low, 16);
  return `${h >> 8}.${h & 0xff}.${l >> 8}.${l & 0xff}`;
}

const systemResolve: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/**
 * The outbound guard (SSRF): a tenant's baseUrl may only point at allowed vendor hosts, over https on 443,
 * and the addresses they resolve to must be public. The one exception is the gateway's own sandbox, on its
 * own origin and under its `/sandbox/` path only, so the sandbox cannot probe other loopback ports.
 */
export function createHostGuard({
  allowedHosts,
  sandboxOrigin = () => null,
  sandboxPathPrefix = '/sandbox/',
  resolve = systemResolve,
}: HostGuardOptions): HostGuard {
  const hosts = allowedHosts ?? providerHosts;
  const exact = new Set(hosts.filter((h) => !h.startsWith('*.')));
  const suffixes = hosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1));

  function assertAllowedUrl(url: URL): void {
    const host = url.hostname.toLowerCase();
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ValidationError(`unsupported URL scheme ${url.protocol}`, 'baseUrl');
    if (url.username || url.password) throw new ValidationError('the URL must not carry credentials', 'baseUrl');
    const sandbox = sandboxOrigin();
    if (sandbox !== null && url.origin === sandbox) {
      if (url.pathname.startsWith(sandboxPathPrefix)) return;
      throw new ValidationError(`only the sandbox's ${sandboxPathPrefix} paths are allowed on ${url.host}`, 'baseUrl');
    }
    const literal = host.replace(/^\[|\]$/g, '');
    if (isIP(literal) !== 0) {
      const kind = internalAddressClass(literal);
      if (kind !== null) throw new ValidationError(`host ${host} is a ${kind} address`, 'baseUrl');
    }
    if (url.protocol !== 'https:') throw new ValidationError('vendor URLs must use https', 'baseUrl');
    if (!exact.has(host) && !suffixes.some((s) => host.endsWith(s) && host.length > s.length)) {
      throw new ValidationError(`host ${host} is not in HOOKGRAPH_ALLOWED_HOSTS`, 'baseUrl');
    }
    // Vendors answer on 443 only; another port on their domain is not their API.
    if (url.port !== '') throw new ValidationError(`host ${host} may only be called on port 443, not ${url.port}`, 'baseUrl');
  }

  /** Loopback stays reachable by name only for the sandbox origin's own host name (e.g. `localhost`). */
  function sandboxHostname(): string | null {
    const origin = sandboxOrigin();
    return origin === null ? null : new URL(origin).hostname.toLowerCase();
  }

  const lookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const sandboxLoopback = hostname.toLowerCase() === sandboxHostname();
      for (const { address } of addresses) {
        const kind = internalAddressClass(address);
        if (kind === null || (kind === 'loopback' && sandboxLoopback)) continue;
        return callback(new ValidationError(`host ${hostname} resolves to a ${kind} address`, 'baseUrl'), '', 0);
      }
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`host ${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };

  return { assertAllowedUrl, lookup };
}
