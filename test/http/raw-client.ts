import { connect, type Socket } from 'node:net';
import { leftover } from '../utils/leftovers.js';

/** A TCP connection that sends exactly the bytes a test writes, for requests no HTTP client would send. */
export interface RawClient {
  socket: Socket;
  /** Everything received so far, as latin1 text. */
  readonly text: string;
  readonly isClosed: boolean;
  /** Settles when the connection is closed, by either side, with what was received. */
  closed: Promise<string>;
  write(bytes: string | Buffer): void;
  /** Resolves once the received text matches, rejects after `timeoutMs`. */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>;
  destroy(): void;
}

/** Opens a raw connection to the gateway at `baseUrl` once it is connected; it is on the leftovers list. */
export function openRaw(baseUrl: string): Promise<RawClient> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let text = '';
  let isClosed = false;
  let waiters: Array<() => void> = [];
  const notify = () => {
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    notify();
  });
  // A reset is one of the ways a server closes: the test looks at `closed`, not at the error.
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      notify();
      resolve(text);
    }),
  );
  const client: RawClient = {
    socket,
    get text() {
      return text;
    },
    get isClosed() {
      return isClosed;
    },
    closed,
    write: (bytes) => void socket.write(bytes),
    until(pattern, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(text)}`)), timeoutMs);
        const check = () => {
          if (pattern.test(text)) {
            clearTimeout(timer);
            resolve(text);
          } else if (isClosed) {
            clearTimeout(timer);
            reject(new Error(`closed without ${pattern}; got ${JSON.stringify(text)}`));
          } else waiters.push(check);
        };
        check();
      });
    },
    destroy: () => socket.destroy(),
  };
  leftover(client);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

/**
 * Sends one request's exact bytes (ending with `Connection: close`) and returns everything the server
 * answered before it closed the connection; a server still holding it after `timeoutMs` is a failure.
 */
export async function exchange(baseUrl: string, bytes: string | Buffer, timeoutMs = 5_000): Promise<string> {
  const client = await openRaw(baseUrl);
  client.write(bytes);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    client.destroy();
  }, timeoutMs);
  const text = await client.closed;
  clearTimeout(timer);
  if (timedOut) throw new Error(`the server held the connection past ${timeoutMs} ms; got ${JSON.stringify(text)}`);
  return text;
}

/** Status line, headers (lower-cased) and body of one HTTP/1.1 answer. */
export function parseResponse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end === -1 ? text.length : end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = end === -1 ? '' : text.slice(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd === -1) return out;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 4 + size);
  }
}
