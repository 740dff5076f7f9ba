import { isIP } from 'node:net';
import { ValidationError } from '../domain/errors.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The outbound allowlist: a tenant's baseUrl may only point at vendor hosts (and loopback when the
 * sandbox is on), so the gateway cannot be aimed at internal addresses (SSRF).
 */
export function createHostGuard(allowedHosts: readonly string[], allowLoopback: boolean): (url: URL) => void {
  const exact = new Set(allowedHosts.filter((h) => !h.startsWith('*.')));
  const suffixes = allowedHosts.filter((h) => h.startsWith('*.')).map((h) => h.slice(1));
  return (url: URL) => {
    const host = url.hostname.toLowerCase();
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new ValidationError(`unsupported URL scheme ${url.protocol}`, 'baseUrl');
    if (url.username || url.password) throw new ValidationError('the URL must not carry credentials', 'baseUrl');
    if (LOOPBACK.has(host)) {
      if (allowLoopback) return;
      throw new ValidationError(`host ${host} is not allowed`, 'baseUrl');
    }
    if (url.protocol !== 'https:') throw new ValidationError('vendor URLs must use https', 'baseUrl');
    if (isIP(host.replace(/^\[|\]$/g, '')) !== 0 && !exact.has(host)) throw new ValidationError(`host ${host} is not allowed`, 'baseUrl');
    if (exact.has(host) || suffixes.some((s) => host.endsWith(s) && host.length > s.length)) return;
    throw new ValidationError(`host ${host} is not in HOOKGRAPH_ALLOWED_HOSTS`, 'baseUrl');
  };
}
