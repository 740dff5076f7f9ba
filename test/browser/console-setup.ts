import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Where `npm run build` (and this) puts the console; what the gateway serves at /console/. */
export const CONSOLE_DIST = join(REPO, 'dist', 'console');

/**
 * Builds dist/console/ when it is missing or older than console/'s sources, as `npm run build` would
 * (scripts/build-if-stale.mjs --console: codegen, type check, vite build, then a stamp). CI runs the tests before
 * any build, so the browser tests build what they serve. Returns how long it took (a few ms when fresh).
 */
export async function ensureConsoleBuilt(): Promise<{ ms: number; built: boolean }> {
  const before = stampOf();
  const started = performance.now();
  await promisify(execFile)(process.execPath, [join(REPO, 'scripts', 'build-if-stale.mjs'), '--console'], {
    cwd: REPO,
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (!existsSync(join(CONSOLE_DIST, 'index.html')))
    throw new Error('scripts/build-if-stale.mjs --console left no dist/console/index.html');
  return { ms: Math.round(performance.now() - started), built: stampOf() !== before };
}

function stampOf(): string | null {
  try {
    return readFileSync(join(CONSOLE_DIST, '.build-stamp'), 'utf8');
  } catch {
    return null;
  }
}
