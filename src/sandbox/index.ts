import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ProviderKey, providerKeys } from '../domain/provider-key.js';
import { createBooqableSandbox } from './booqable.js';
import { createDeliveryGuard } from './delivery-guard.js';
import { createDeskeraSandbox } from './deskera.js';
import { createPaybookSandbox } from './paybook.js';
import { createRootfiSandbox } from './rootfi.js';
import { createSuperofficeSandbox } from './superoffice.js';
import type { SandboxAccountStore, SandboxVendor } from './types.js';

export const SANDBOX_PREFIX = '/sandbox/';

export interface SandboxOptions {
  /** Where accounts and their hooks persist (the gateway's database). */
  store: SandboxAccountStore;
  /**
   * The gateway's own origins: its public URL and its bound loopback origin (known once it listens).
   * Hooks may only be registered with, and deliveries only go to, `<origin>/hooks/<uuid>/<token>`.
   */
  gatewayOrigins: () => readonly (string | null | undefined)[];
}

/** All five simulated vendors, mounted under `/sandbox/<vendor>/`. */
export function createSandbox({ store, gatewayOrigins }: SandboxOptions) {
  const options = { store, acceptsDeliveryUrl: createDeliveryGuard(gatewayOrigins) };
  const vendors: Record<ProviderKey, SandboxVendor> = {
    DESKERA: createDeskeraSandbox(options),
    BOOQABLE: createBooqableSandbox(options),
    PAYBOOK: createPaybookSandbox(options),
    ROOTFI: createRootfiSandbox(options),
    SUPEROFFICE: createSuperofficeSandbox(options),
  };
  return {
    vendors,
    /** Routes `/sandbox/<slug>/…`; returns false when the path is not a sandbox vendor's. */
    handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
      const rest = pathname.slice(SANDBOX_PREFIX.length);
      const slash = rest.indexOf('/');
      const slug = slash === -1 ? rest : rest.slice(0, slash);
      const key = providerKeys.find((k) => k.toLowerCase() === slug);
      if (!key) return false;
      vendors[key].handle(req, res, slash === -1 ? '/' : rest.slice(slash)).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"sandbox failure"}');
      });
      return true;
    },
  };
}
export type Sandbox = ReturnType<typeof createSandbox>;

/** The loopback origin a gateway listening on `host:port` is reached at (wildcard binds answer on 127.0.0.1). */
export function loopbackOrigin(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}
