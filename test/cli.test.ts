import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/store/store.js';

const run = promisify(execFile);

describe('hookgraph keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookgraph-cli-'));
  const secret = randomBytes(32).toString('base64');
  const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'cli.sqlite')}`, HOOKGRAPH_SECRET_KEY: secret, HOOKGRAPH_DATA_DIR: dir };
  const cli = (...args: string[]) => run(process.execPath, ['bin/hookgraph.js', ...args], { env });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key whose last output line authenticates, lists it, and revokes it', async () => {
    const created = await cli('keys', 'create', '--tenant', 'acme');
    const key = created.stdout.trim().split('\n').at(-1) as string;
    expect(key).toMatch(/^hg_[A-Za-z0-9]{12}_[A-Za-z0-9_-]+$/);

    const store = await createStore({ databaseUrl: env.DATABASE_URL, secretKey: Buffer.from(secret, 'base64') });
    try {
      expect((await store.apiKeys.authenticate(key))?.name).toBe('acme');
      const listed = await cli('keys', 'list', '--tenant', 'acme');
      const id = key.split('_')[1] as string;
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).not.toContain(key);
      await cli('keys', 'revoke', id);
      expect(await store.apiKeys.authenticate(key)).toBeNull();
      expect((await cli('keys', 'list')).stdout).toMatch(/revoked/);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('explains usage and exits 2 on a bad command', async () => {
    const err = (await cli('keys', 'create').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/--tenant/);
  }, 30_000);
});
