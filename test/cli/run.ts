import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { leftover } from '../utils/leftovers.js';

/** The repository (the package root): where package.json, src/ and bin/ are. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

// An absolute loader URL: `--import tsx` would be resolved from the child's working directory, which tests move.
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The whole environment besides PATH and HOME: nothing of the test runner's leaks in. */
  env?: Record<string, string>;
  /** @default REPO */
  cwd?: string;
  /** Runs this compiled entry (dist/cli.js or bin/hookgraph.js) instead of src/cli.ts through tsx. */
  entry?: string;
}

/** Runs `hookgraph <args>` as an operator would, and returns its exit code and output (never throws on exit ≠ 0). */
export function hookgraph(args: readonly string[], { env = {}, cwd = REPO, entry }: RunOptions = {}): Promise<Run> {
  const argv = entry ? [entry, ...args] : ['--import', TSX_LOADER, join(REPO, 'src/cli.ts'), ...args];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      argv,
      { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A data directory of its own (SQLite file, key), on the leftovers list, and the environment that points the CLI at it. */
export function scratch(prefix = 'hookgraph-cli-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const secretKey = randomBytes(32).toString('base64');
  const env = { HOOKGRAPH_DATA_DIR: dir, HOOKGRAPH_SECRET_KEY: secretKey, DATABASE_URL: `file:${join(dir, 'hookgraph.sqlite')}` };
  leftover(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, secretKey, env };
}

/** Whether an output holds a stack trace line (`    at fn (file:line:col)`). */
export const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);
