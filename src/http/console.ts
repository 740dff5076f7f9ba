import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress, type StaticBody, sendStatic, staticBody } from '../static-response.js';

/*
 * The web console (console/, a Vite app) as built into dist/console/: index.html for /console/ and for any deep
 * link under it without a dot (the console routes by the hash, but a pasted /console/live must not 404), and the
 * content-hashed files under /console/assets/ (`immutable`: a browser asks for each once). Everything is read into
 * memory on the first request and again when index.html changes (a rebuild while the gateway runs); each body is
 * compressed once per process, off the event loop, when a client first accepts br or gzip. Only the files found
 * there are served: a path is looked up in a map, never joined onto a directory, so no path reaches outside it.
 */

export const CONSOLE_PATH = '/console';
const ASSETS = `${CONSOLE_PATH}/assets/`;

/** dist/console/ of the package, whether this runs from src/ (tests, tsx) or from dist/. */
const DEFAULT_ROOT = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** What the page may load and talk to: its own origin only (HTTP and the graphql-ws socket), no frames, no forms. */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const NOT_BUILT = 'the console is not built: run `npm run build` (or `npm run console:build`), then reload\n';

/** Bounds on what is read from the build directory: a Vite build of the console is a handful of files. */
const MAX_FILES = 500;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

const CONTENT_TYPES = new Map([
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.html', 'text/html; charset=utf-8'],
  ['.json', 'application/json'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.webp', 'image/webp'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
  ['.txt', 'text/plain; charset=utf-8'],
]);
/** Worth compressing; images and fonts already are. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.json', '.svg', '.txt']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const HTML_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface Build {
  /** index.html's mtime and size when read: a change means a new build. */
  version: string;
  index: StaticBody;
  assets: Map<string, StaticBody>;
}

export interface ConsoleRoute {
  /** Answers every request for /console and under it (true), or leaves it to the next route (false). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

export interface ConsoleOptions {
  /** The Vite build's output directory. @default the package's dist/console/ */
  root?: string;
}

export function createConsole({ root = DEFAULT_ROOT }: ConsoleOptions = {}): ConsoleRoute {
  let current: Build | null = null;
  let loading: Promise<Build | null> | null = null;

  /** The build on disk, read again only when index.html changed; null when there is none. */
  async function build(): Promise<Build | null> {
    let version: string;
    try {
      const st = await stat(join(root, 'index.html'));
      version = `${st.mtimeMs}:${st.size}`;
    } catch {
      current = null;
      return null;
    }
    if (current?.version === version) return current;
    loading ??= load(root, version).finally(() => {
      loading = null;
    });
    const loaded = await loading;
    current = loaded;
    return loaded;
  }

  return {
    handle(req, res, pathname) {
      if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
      void serve(req, res, pathname, build).catch(() => {
        if (!res.headersSent) text(res, 500, 'the console could not be read\n');
        else res.destroy();
      });
      return true;
    },
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, pathname: string, build: () => Promise<Build | null>): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return text(res, 405, 'GET only\n');
  }
  const found = await build();
  if (!found) return text(res, 503, NOT_BUILT);
  if (pathname === CONSOLE_PATH) {
    const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    res.writeHead(301, { location: `${CONSOLE_PATH}/${query}`, 'content-length': 0 }).end();
    return;
  }
  if (pathname.startsWith(ASSETS)) {
    const asset = found.assets.get(pathname);
    return asset ? sendStatic(req, res, asset) : text(res, 404, 'not found\n');
  }
  return isDeepLink(pathname.slice(CONSOLE_PATH.length + 1))
    ? sendStatic(req, res, found.index, HTML_HEADERS)
    : text(res, 404, 'not found\n');
}

/** `live`, `webhooks/x`: a route of the page. Anything with a dot (a file name, `..` however encoded) is not. */
function isDeepLink(rest: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return false;
  }
  return decoded.length <= 1_000 && !/[.\\\0]/.test(decoded);
}

async function load(root: string, version: string): Promise<Build | null> {
  try {
    const index = file('.html', await readFile(join(root, 'index.html')), 'no-cache');
    const assets = new Map<string, StaticBody>();
    const names = await readdir(join(root, 'assets'), { withFileTypes: true }).catch(() => []);
    for (const entry of names.slice(0, MAX_FILES)) {
      if (!entry.isFile() || !/^[\w.-]+$/.test(entry.name)) continue;
      const path = join(root, 'assets', entry.name);
      if ((await stat(path)).size > MAX_FILE_BYTES) continue;
      assets.set(`${ASSETS}${entry.name}`, file(extname(entry.name), await readFile(path), IMMUTABLE));
    }
    // Compressed now, in the background: the first visitor's request finds them done (or nearly).
    for (const f of [index, ...assets.values()]) precompress(f);
    return { version, index, assets };
  } catch {
    // Removed while being read (a rebuild): the next request reads it again.
    return null;
  }
}

/**
 * A file of the build. Brotli at quality 9: measured on the console's 359 KB script, 91 KB in 50 ms, against 85 KB in
 * 870 ms at 11 (what a first visitor would wait).
 */
function file(ext: string, body: Buffer, cacheControl: string): StaticBody {
  const type = CONTENT_TYPES.get(ext.toLowerCase()) ?? 'application/octet-stream';
  return staticBody(type, body, cacheControl, { compressible: COMPRESSIBLE.has(ext.toLowerCase()) && body.length > 256, brotliQuality: 9 });
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}
