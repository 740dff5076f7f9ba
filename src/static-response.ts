import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * A file held in memory and served with an ETag, conditional GETs and br/gzip compressed once on the thread pool: the
 * bundled GraphiQL (graphql/graphiql.ts) and the console (http/console.ts). Outside http/ and graphql/ because both
 * serve with it.
 */
export interface StaticBody {
  type: string;
  body: Buffer;
  /** Hex SHA-256 of body: the ETag (and a file name's hash, where the name carries one). */
  hash: string;
  cacheControl: string;
  /** Worth compressing (text, larger than a packet). */
  compressible: boolean;
  /** Brotli quality: higher is smaller and slower, paid once per body. */
  brotliQuality: number;
  compressed: Map<Encoding, Promise<Buffer>>;
}

export type Encoding = 'br' | 'gzip';

export function staticBody(
  type: string,
  content: string | Buffer,
  cacheControl: string,
  { compressible = true, brotliQuality = 5 }: { compressible?: boolean; brotliQuality?: number } = {},
): StaticBody {
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    type,
    body,
    hash: createHash('sha256').update(body).digest('hex'),
    cacheControl,
    compressible,
    brotliQuality,
    compressed: new Map(),
  };
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The body in `encoding`, compressed once (a failure is forgotten, so the next request tries again). */
function compress(f: StaticBody, encoding: Encoding): Promise<Buffer> {
  let done = f.compressed.get(encoding);
  if (!done) {
    done =
      encoding === 'br'
        ? brotli(f.body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: f.brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: f.body.length },
          })
        : gzipAsync(f.body, { level: 9 });
    done.catch(() => f.compressed.delete(encoding));
    f.compressed.set(encoding, done);
  }
  return done;
}

/** Starts compressing the body in both encodings now, so the first client that asks does not wait. */
export function precompress(f: StaticBody): void {
  if (f.compressible) for (const e of ['br', 'gzip'] as const) void compress(f, e).catch(() => {});
}

/** 200 with the body (compressed when the client accepts it), or 304 when its ETag matches; HEAD gets the headers. */
export async function sendStatic(
  req: IncomingMessage,
  res: ServerResponse,
  f: StaticBody,
  extra: Record<string, string> = {},
): Promise<void> {
  const encoding = f.compressible ? negotiate(req.headers['accept-encoding']) : null;
  const headers: Record<string, string | number> = {
    ...extra,
    etag: `"${f.hash}${encoding ? `-${encoding}` : ''}"`,
    'cache-control': f.cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (f.compressible) headers['vary'] = 'Accept-Encoding';
  if (matches(req.headers['if-none-match'], f.hash)) {
    res.writeHead(304, headers).end();
    return;
  }
  let body = f.body;
  if (encoding) {
    try {
      body = await compress(f, encoding);
      headers['content-encoding'] = encoding;
    } catch {
      headers['etag'] = `"${f.hash}"`;
    }
  }
  res.writeHead(200, { ...headers, 'content-type': f.type, 'content-length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** br when the client accepts it, else gzip, else none (RFC 9110 §12.5.3: q=0 refuses, `*` counts for both). */
export function negotiate(header: string | undefined): Encoding | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.slice(0, 1_000).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam === undefined ? 1 : Number(qParam.slice(2));
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const accepts = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip') || (q.get('x-gzip') ?? 0) > 0) return 'gzip';
  return null;
}

/** If-None-Match against a body's hash, whatever its encoding suffix (weak comparison, RFC 9110 §13.1.2). */
function matches(header: string | undefined, hash: string): boolean {
  if (!header) return false;
  return header
    .slice(0, 4_000)
    .split(',')
    .some((tag) => {
      const t = tag.trim();
      if (t === '*') return true;
      const opaque = t.replace(/^W\//, '').replace(/^"|"$/g, '');
      return opaque === hash || opaque === `${hash}-br` || opaque === `${hash}-gzip`;
    });
}
