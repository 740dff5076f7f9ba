import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { leftover } from '../utils/leftovers.js';
import { hookgraph, REPO, scratch } from './run.js';

/**
 * The installed command: bin/hookgraph.js running dist/cli.js compiled by tsc, in a package folder of its own
 * (package.json, bin/, dist/, and the checkout's node_modules) so the checkout's dist/ is never touched.
 */
describe('the compiled hookgraph command', () => {
  const pkg = mkdtempSync(join(tmpdir(), 'hookgraph-package-'));
  leftover(() => rmSync(pkg, { recursive: true, force: true }));
  const s = scratch();
  const bin = join(pkg, 'bin', 'hookgraph.js');

  beforeAll(() => {
    copyFileSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
    mkdirSync(join(pkg, 'bin'));
    copyFileSync(join(REPO, 'bin', 'hookgraph.js'), bin);
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  });

  it('tells to run `npm run build` when dist/ is missing, with exit code 1', async () => {
    const run = await hookgraph(['--version'], { entry: bin });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: hookgraph is not built .*run `npm run build`/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('runs from dist/ as node dist/cli.js and through bin/, from any working directory', async () => {
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], {
      cwd: REPO,
    });

    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(await hookgraph(['--version'], { entry: join(pkg, 'dist', 'cli.js'), cwd: tmpdir() })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
    const created = await hookgraph(['keys', 'create', '--tenant', 'acme', '--create'], { entry: bin, env: s.env, cwd: tmpdir() });
    expect(created.code).toBe(0);
    const id = (created.stdout.trim().split('\n').at(-1) as string).split('_')[1];
    const listed = await hookgraph(['keys', 'list', '--json'], { entry: join(pkg, 'dist', 'cli.js'), env: s.env, cwd: tmpdir() });
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((k) => k.id)).toEqual([id]);
    const usage = await hookgraph(['keys', 'revoke', '-h'], { entry: bin });
    expect(usage.code).toBe(0);
    expect(usage.stdout).toContain('Usage: hookgraph keys revoke');
  }, 120_000);
});
