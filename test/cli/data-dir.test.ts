import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookgraph, REPO, scratch } from './run.js';

describe('where hookgraph finds its database', () => {
  const s = scratch();

  it('finds the same keys from another working directory as from the package root when HOOKGRAPH_DATA_DIR is set', async () => {
    // No DATABASE_URL: the data directory alone places the database.
    const env = { HOOKGRAPH_DATA_DIR: s.dir, HOOKGRAPH_SECRET_KEY: s.secretKey };
    const created = await hookgraph(['keys', 'create', '--tenant', 'acme', '--create'], { env, cwd: REPO });
    expect(created.code).toBe(0);
    const id = (created.stdout.trim().split('\n').at(-1) as string).split('_')[1];
    const fromRoot = await hookgraph(['keys', 'list', '--json'], { env, cwd: REPO });
    const elsewhere = await hookgraph(['keys', 'list', '--json'], { env, cwd: tmpdir() });
    expect(elsewhere.code).toBe(0);
    expect(JSON.parse(elsewhere.stdout)).toEqual(JSON.parse(fromRoot.stdout));
    expect((JSON.parse(elsewhere.stdout) as Array<{ id: string }>).map((k) => k.id)).toEqual([id]);
    // Nothing was created in the working directory the second run started in.
    expect(existsSync(join(tmpdir(), 'data', 'hookgraph.sqlite'))).toBe(false);
  }, 60_000);

  it("defaults the data directory to the package root's data/, whatever the working directory", async () => {
    // DATABASE_URL and the key come from the environment, so nothing is written to the checkout's own data/.
    const env = { DATABASE_URL: s.env.DATABASE_URL, HOOKGRAPH_SECRET_KEY: s.secretKey };
    expect((await hookgraph(['migrate'], { env, cwd: tmpdir() })).code).toBe(0);
    const run = await hookgraph(['doctor', '--json'], { env, cwd: tmpdir() });
    const { checks } = JSON.parse(run.stdout) as { checks: Array<{ name: string; status: string; detail: string }> };
    const configuration = checks.find((c) => c.name === 'configuration');
    expect(configuration?.status).toBe('ok');
    expect(configuration?.detail).toContain(`data dir ${join(REPO, 'data')}`);
  }, 60_000);
});
