import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStack, hookgraph, REPO, scratch } from './run.js';

const COMMANDS = [
  [],
  ['start'],
  ['migrate'],
  ['keys'],
  ['keys', 'create'],
  ['keys', 'list'],
  ['keys', 'revoke'],
  ['tenants'],
  ['tenants', 'list'],
  ['tenants', 'retention'],
  ['sandbox'],
  ['sandbox', 'connect'],
  ['doctor'],
  ['console'],
];

describe('hookgraph usage', () => {
  const s = scratch();

  it('prints usage on stdout and exits 0 for --help and -h on every command and subcommand, starting nothing', async () => {
    for (const flag of ['--help', '-h']) {
      const runs = await Promise.all(COMMANDS.map((command) => hookgraph([...command, flag], { env: s.env })));
      runs.forEach((run, i) => {
        const command = COMMANDS[i] as string[];
        expect({ command, flag, code: run.code, stderr: run.stderr }).toEqual({ command, flag, code: 0, stderr: '' });
        expect(run.stdout).toContain(`Usage: ${['hookgraph', ...command].join(' ')} `);
      });
    }
  }, 120_000);

  it('prints the package version for --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      expect(await hookgraph([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  }, 30_000);

  it('answers an unknown command with the usage on stderr and exit code 2', async () => {
    const run = await hookgraph(['frobnicate'], { env: s.env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: unknown command 'frobnicate'/);
    expect(run.stderr).toContain('Usage: hookgraph [options] [command]');
  }, 30_000);

  it("answers an unknown option, a missing option and a missing argument with exit code 2 and that command's usage", async () => {
    const cases = [
      [['keys', 'list', '--tenat', 'acme'], /error: unknown option '--tenat'/, 'Usage: hookgraph keys list'],
      [['keys', 'create'], /error: required option '--tenant <name>' not specified/, 'Usage: hookgraph keys create'],
      [['keys', 'revoke'], /error: missing required argument 'key'/, 'Usage: hookgraph keys revoke'],
      [['keys'], /Commands:/, 'Usage: hookgraph keys'],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => hookgraph(args, { env: s.env })));
    runs.forEach((run, i) => {
      const [, message, usage] = cases[i] as (typeof cases)[number];
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain(usage);
      expect(hasStack(run.stderr)).toBe(false);
    });
  }, 60_000);

  it('reports configuration mistakes one line each, naming the variable, with exit code 1 and no stack trace', async () => {
    const run = await hookgraph(['keys', 'list'], { env: { ...s.env, HOOKGRAPH_SANDBOX: 'maybe', DATABASE_URL: 'mysql://db/hookgraph' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines.some((l) => /^error: HOOKGRAPH_SANDBOX .*maybe/.test(l))).toBe(true);
    expect(lines.some((l) => /^error: DATABASE_URL .*mysql/.test(l))).toBe(true);
    expect(lines.every((l) => l.startsWith('error: '))).toBe(true);
    expect(hasStack(run.stderr)).toBe(false);
  }, 30_000);

  it('reports a failure outside the configuration (a database file that is not SQLite) in one line without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookgraph-cli-garbage-'));
    try {
      writeFileSync(join(dir, 'db.sqlite'), 'these bytes are no SQLite database, however long the header is meant to be\n'.repeat(64));
      const run = await hookgraph(['keys', 'list'], { env: { ...s.env, DATABASE_URL: `file:${join(dir, 'db.sqlite')}` } });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: .*not a database/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(hasStack(run.stderr)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
