import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ProviderKey, providerKeys } from '../domain/provider-key.js';
import { createBooqableSandbox } from './booqable.js';
import { createDeskeraSandbox } from './deskera.js';
import { createPaybookSandbox } from './paybook.js';
import { createRootfiSandbox } from './rootfi.js';
import { createSuperofficeSandbox } from './superoffice.js';
import type { SandboxVendor } from './types.js';

export const SANDBOX_PREFIX = '/sandbox/';

/** All five simulated vendors, mounted under `/sandbox/<vendor>/`. */
export function createSandbox() {
  const vendors: Record<ProviderKey, SandboxVendor> = {
    DESKERA: createDeskeraSandbox(),
    BOOQABLE: createBooqableSandbox(),
    PAYBOOK: createPaybookSandbox(),
    ROOTFI: createRootfiSandbox(),
    SUPEROFFICE: createSuperofficeSandbox(),
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
