import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { leftover } from '../utils/leftovers.js';

const CONTENT_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
]);

export interface PageServer {
  /** The serialized origin a browser sends in Origin for these pages (`http://127.0.0.1:<port>`). */
  origin: string;
}

/**
 * A static site on its own loopback origin (127.0.0.1, a free port), as a third-party app's dev server: `files` maps
 * each URL path to the file served there, read once now; anything else is 404. On the leftovers list.
 */
export async function servePages(files: ReadonlyMap<string, string>): Promise<PageServer> {
  const bodies = new Map(
    [...files].map(([path, file]) => [
      path,
      { body: readFileSync(file), type: CONTENT_TYPES.get(extname(file)) ?? 'application/octet-stream' },
    ]),
  );
  const server = leftover(
    createServer((req, res) => {
      const found = bodies.get(new URL(req.url ?? '/', 'http://pages').pathname);
      if (req.method !== 'GET' || !found) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': found.type, 'cache-control': 'no-store' }).end(found.body);
    }),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
