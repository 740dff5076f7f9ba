import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxVendor } from '../../src/sandbox/types.js';
import { leftover, onlyOnce } from './leftovers.js';

export interface SandboxServer {
  /** `http://127.0.0.1:<port>`; the vendor is mounted at `/sandbox/<slug>`. */
  origin: string;
  /** The mount URL: `${origin}/sandbox/<slug>`. */
  mountUrl: string;
  /** Closes it; once (the leftovers list calls it too). */
  close(): Promise<void>;
}

/** Serves one sandbox vendor on a loopback port, mounted as the gateway mounts it; on the leftovers list. */
export async function startSandboxServer(vendor: SandboxVendor): Promise<SandboxServer> {
  const slug = vendor.provider.toLowerCase();
  const prefix = `/sandbox/${slug}`;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    vendor.handle(req, res, path.slice(prefix.length) || '/').catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return leftover<SandboxServer>({
    origin,
    mountUrl: `${origin}${prefix}`,
    close: onlyOnce(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  });
}
