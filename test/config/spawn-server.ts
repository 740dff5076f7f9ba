import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leftover } from '../utils/leftovers.js';

/** One parsed pino line of the server's stdout. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

export interface ServerProcess {
  /** Every stdout line parsed as JSON, as they arrive; a line that is not JSON fails the wait helpers. */
  lines: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** The first line matching, waiting for it; rejects if the process exits first or after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** The URL from the `hookgraph listening on …` line. */
  listening(): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | string>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** A temp folder for HOOKGRAPH_DATA_DIR, on the leftovers list. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-config-'));
  leftover(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `node --import tsx src/server.ts` with only PATH and HOME from this process plus `env`: nothing of the
 * developer's shell (a DATABASE_URL, a NODE_ENV) leaks in. The process is on the leftovers list.
 */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let pending = '';
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    out += String(chunk);
    pending += String(chunk);
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
    for (const wake of waiters) wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += String(chunk)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const wake of waiters) wake();
  });
  leftover(child);

  const proc: ServerProcess = {
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(match, what, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no line ${what} within ${timeoutMs} ms:\n${out}${err}`)), timeoutMs);
        const check = () => {
          const found = lines.find(match);
          if (found) finish(null, found);
          else if (done) finish(new Error(`exited before a line ${what}:\n${out}${err}`));
        };
        const finish = (error: Error | null, line?: LogLine) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line as LogLine);
        };
        waiters.add(check);
        check();
      });
    },
    async listening() {
      const line = await proc.waitFor((l) => l.msg.startsWith('hookgraph listening on '), 'saying it listens');
      return line['url'] as string;
    },
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
  };
  return proc;
}

/** A stack trace in any form: Node's plain one on stderr, or one inside a JSON string. */
export const STACK_TRACE = /\n\s+at |\\n\s+at |"stack"/;

/** A loopback port nothing listens on (bound, then closed): connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Listens on `port` (0: any) on loopback, on the leftovers list; `onConnection` decides what each connection gets. */
export async function listenOn(port: number, onConnection: (socket: Socket) => void = () => {}): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  leftover(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  );
  return { server, port: (server.address() as { port: number }).port };
}
