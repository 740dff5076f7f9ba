import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Server } from 'node:net';
import { TestRunner } from 'vitest';

/**
 * The one leftovers list: every server, app, socket, client, database and child process a test opens is
 * registered here (the test/utils helpers register what they open themselves) and disposed newest first,
 * whether the test passed or not. test/utils/setup.ts (vitest.config.ts `setupFiles`) runs the disposal.
 *
 * Its scope is chosen by when a thing is registered:
 * - during a test (or its beforeEach/afterEach): disposed right after that test;
 * - outside any test (a beforeAll, a describe body): shared by the tests that follow, so disposed when the
 *   test file ends, never between two of its tests. Vitest tells a running test apart from a beforeAll
 *   (TestRunner.getCurrentTest), but not which describe block a beforeAll belongs to, so the file is the
 *   smallest scope that is always correct; a describe block that must release its app earlier still can
 *   (`afterAll(() => t.stop())`): the helpers' disposals run once, whoever asks first.
 *
 * One failing disposal does not keep the others open: failures are collected, and reported (they fail the
 * test, or the file) once everything else is disposed.
 */

/** How long one disposal may take before it counts as failed and the list moves on. */
const DISPOSE_TIMEOUT_MS = 15_000;

/** Anything a test can open: a disposer, or a thing with a dispose/stop/close/terminate/destroy method. */
export type Leftover =
  | (() => unknown)
  | ChildProcess
  | Server
  | { dispose(): unknown }
  | { stop(): unknown }
  | { close(): unknown }
  | { terminate(): unknown }
  | { destroy(): unknown };

interface Entry {
  what: string;
  dispose: () => unknown;
}

const FILE = Symbol('file');
const scopes = new Map<object | symbol, Entry[]>();

/** Registers `thing` for disposal after the current test, or at the end of the file outside a test; returns it. */
export function leftover<T extends Leftover>(thing: T): T {
  const scope = TestRunner.getCurrentTest() ?? FILE;
  const entries = scopes.get(scope) ?? [];
  scopes.set(scope, entries);
  entries.push(entryOf(thing));
  return thing;
}

/** `dispose`, run at most once: later calls get the first call's promise, so a test may close early what the list closes too. */
export function onlyOnce(dispose: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => {
    done ??= dispose();
    return done;
  };
}

/** Disposes what was registered in `scope` (a test, or the file), newest first; throws what failed. */
export async function disposeLeftovers(scope: object | 'file'): Promise<void> {
  const key = scope === 'file' ? FILE : scope;
  const entries = scopes.get(key) ?? [];
  scopes.delete(key);
  const failures: Error[] = [];
  for (const { what, dispose } of entries.reverse()) {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        dispose(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not disposed within ${DISPOSE_TIMEOUT_MS} ms`)), DISPOSE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      failures.push(
        new Error(`leftover ${what} failed to dispose: ${error instanceof Error ? error.message : String(error)}`, { cause: error }),
      );
    } finally {
      clearTimeout(timer);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, failures.map((f) => f.message).join('\n'));
}

function entryOf(thing: Leftover): Entry {
  if (typeof thing === 'function') return { what: thing.name || 'disposer', dispose: thing };
  // A child process still running is killed, and waited for: its ports and files are free after.
  if (thing instanceof ChildProcess) {
    return {
      what: `child process ${thing.pid}`,
      dispose: async () => {
        if (thing.exitCode !== null || thing.signalCode !== null) return;
        const exited = once(thing, 'exit');
        thing.kill('SIGKILL');
        await exited;
      },
    };
  }
  // A server closes once its connections are gone: end them (keep-alive ones included) and wait.
  if (thing instanceof Server) {
    return {
      what: 'server',
      dispose: () =>
        new Promise<void>((resolve, reject) => {
          if (!thing.listening) return resolve();
          thing.close((error) => (error ? reject(error) : resolve()));
          if ('closeAllConnections' in thing && typeof thing.closeAllConnections === 'function') thing.closeAllConnections();
        }),
    };
  }
  for (const method of ['dispose', 'stop', 'close', 'terminate', 'destroy'] as const) {
    if (method in thing) {
      const close = (thing as Record<typeof method, () => unknown>)[method];
      return { what: `${thing.constructor?.name ?? 'object'}.${method}()`, dispose: () => close.call(thing) };
    }
  }
  throw new TypeError('leftover(): nothing to dispose it with (no dispose, stop, close, terminate or destroy method)');
}
