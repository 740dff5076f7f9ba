#!/usr/bin/env node
// Builds dist/ only when its sources changed since the last build, so `npm start` after the first build starts at
// once. usage: node scripts/build-if-stale.mjs [--force] [--console]
//   --force    a clean build, what `npm run build` does
//   --console  the web console only (dist/console/, from console/): what the browser tests need
//
// Why a stamp and not `tsc --incremental` alone: measured on this 2-core machine, a full build takes 10.0 s and an
// incremental tsc with nothing to do still takes 3.0 s (it loads the program and checks every file's hash), against
// ~30 ms for this script's walk over src/. When something did change, the rebuild is incremental (4.1 s after a
// one-file edit, against 10.0 s), its build info kept in dist/ so a removed dist/ means a full build.
//
// The console (console/, a Vite app) has a stamp of its own (dist/console/.build-stamp) and is built after the server:
// typed documents (graphql-codegen), its type check, then `vite build` (measured: ~9 s clean, of which vite ~1 s). A
// failure of any step fails the build. Its generated documents (console/src/gql/) are outputs, not inputs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
const consoleDist = join(dist, 'console');
const consoleStampFile = join(consoleDist, '.build-stamp');
const force = process.argv.includes('--force');
const consoleOnly = process.argv.includes('--console');

/**
 * The newest mtime of the inputs and how many there are. Directories count too: adding, removing or renaming a
 * source changes its folder's mtime even when every remaining file is older than the last build.
 */
function fingerprint(paths, skip = new Set()) {
  let newest = 0;
  let count = 0;
  const see = (path) => {
    if (skip.has(path) || !existsSync(path)) return;
    const st = statSync(path);
    newest = Math.max(newest, st.mtimeMs);
    count++;
    if (st.isDirectory()) for (const name of readdirSync(path)) if (name !== 'node_modules') see(join(path, name));
  };
  for (const path of paths) see(join(root, path));
  return { newest, count };
}

const serverInputs = () => fingerprint(['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']);
/** The console's sources and what its typed documents are generated from (the printed schema). */
// The console bundles hookgraph/client (src/client) too: a change there alone rebuilds it.
const consoleInputs = () =>
  fingerprint(['console', 'src/client', 'schema.graphql', 'package.json'], new Set([join(root, 'console', 'src', 'gql')]));

function readStamp(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const same = (stamp, now) => stamp !== null && stamp.newest === now.newest && stamp.count === now.count;

function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

/** A devDependency's command (node_modules/.bin/<name>, resolved to its script), or null when not installed. */
function findBin(name) {
  const link = join(root, 'node_modules', '.bin', name);
  try {
    return existsSync(link) ? realpathSync(link) : null;
  } catch {
    return null;
  }
}

/** Runs `node <script> ...args` in the repository; exits with its status when it fails. */
function run(script, args, env = process.env) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Builds dist/console/ when its inputs changed (or always, with --force). */
function buildConsole() {
  const inputs = consoleInputs();
  if (!force && same(readStamp(consoleStampFile), inputs) && existsSync(join(consoleDist, 'index.html'))) return;
  const tools = { codegen: findBin('graphql-codegen'), tsc: findTsc(), vite: findBin('vite') };
  if (Object.values(tools).includes(null)) {
    // `npm start` of a production install (no devDependencies): the server runs without a console (/console says 503).
    const built = existsSync(join(consoleDist, 'index.html'));
    if (!force && !consoleOnly) {
      process.stderr.write(
        built
          ? 'build-if-stale: console/ changed since dist/console/ was built, but Vite is not installed; serving the existing build\n'
          : 'build-if-stale: dist/console/ is not built and Vite is not installed: /console will answer 503 until `npm run build`\n',
      );
      return;
    }
    process.stderr.write('build-if-stale: building dist/console/ needs the devDependencies (Vite, graphql-codegen): run `npm ci` first\n');
    process.exit(1);
  }
  process.stderr.write(`building dist/console/ (${force ? 'clean build' : 'sources changed'})…\n`);
  const started = performance.now();
  run(tools.codegen, ['--config', 'console/codegen.ts', '--errors-only']);
  // Taken again after codegen: creating console/src/gql/ (a fresh clone has none) changes console/src's own mtime, and a
  // stamp from before it would call the build stale at the next start (after `npm prune`, without Vite to rebuild).
  const stamped = consoleInputs();
  run(tools.tsc, ['-p', 'console/tsconfig.json', '--noEmit']);
  // Whatever runs this (vitest sets NODE_ENV=test): anything but production bundles React's development build (+65%).
  run(tools.vite, ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], { ...process.env, NODE_ENV: 'production' });
  writeFileSync(consoleStampFile, `${JSON.stringify(stamped)}\n`);
  process.stderr.write(`built dist/console/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (consoleOnly) {
  buildConsole();
  process.exit(0);
}

const before = serverInputs();
const stamp = readStamp(stampFile);
const fresh = !force && same(stamp, before) && existsSync(join(dist, 'server.js'));
if (fresh) {
  buildConsole();
  process.exit(0);
}

const tsc = findTsc();
if (tsc === null) {
  // A production install (npm ci --omit=dev) has no TypeScript: run what was built, and say so.
  if (!force && existsSync(join(dist, 'server.js'))) {
    process.stderr.write(
      'build-if-stale: sources changed since dist/ was built, but TypeScript is not installed; running the existing build\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'build-if-stale: dist/ needs a build and TypeScript is not installed: run `npm ci` (with devDependencies), then `npm run build`\n',
  );
  process.exit(1);
}

if (force) rmSync(dist, { recursive: true, force: true });
process.stderr.write(`building dist/ (${force ? 'clean build' : stamp === null ? 'first build' : 'sources changed'})…\n`);
const started = performance.now();
const result = spawnSync(
  process.execPath,
  [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', join(dist, '.tsbuildinfo')],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
// hookgraph/client's declarations (dist/client/*.d.ts), checked against the DOM library without Node's types.
const declarations = spawnSync(process.execPath, [tsc, '-p', 'src/client/tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (declarations.status !== 0) process.exit(declarations.status ?? 1);
// The inputs as they were when the build started: a file saved during the build makes the next start rebuild.
writeFileSync(stampFile, `${JSON.stringify(before)}\n`);
process.stderr.write(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
buildConsole();
