import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { hookgraph, scratch } from './run.js';

describe('hookgraph tenants', () => {
  const s = scratch();
  const cli = (...args: string[]) => hookgraph(args, { env: { ...s.env, PORT: '4711' } });
  const retentionOf = async (name: string) => {
    const store = await createStore({ databaseUrl: s.env.DATABASE_URL, secretKey: Buffer.from(s.secretKey, 'base64') });
    try {
      return (await store.tenants.list()).find((t) => t.name === name)?.retention;
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    expect((await cli('keys', 'create', '--tenant', 'acme', '--create')).code).toBe(0);
    expect((await cli('sandbox', 'connect', '--tenant', 'acme', '--provider', 'paybook')).code).toBe(0);
    expect((await cli('keys', 'create', '--tenant', 'globex', '--create')).code).toBe(0);
  }, 60_000);

  it('lists tenants as a JSON array with their connected vendors, active keys and effective retention', async () => {
    const run = await cli('tenants', 'list', '--json');
    expect(run.code).toBe(0);
    const tenants = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(tenants.map((t) => [t['name'], t['providers'], t['activeKeys'], t['retentionMs'], t['retentionOverride']])).toEqual([
      ['acme', ['PAYBOOK'], 1, null, false],
      ['globex', [], 1, null, false],
    ]);
    const text = await cli('tenants', 'list');
    expect(text.stdout).toMatch(/^acme\s+\S+\s+\S+\s+1\s+forever \(default\)\s+PAYBOOK$/m);
  }, 30_000);

  it("sets a tenant's retention to a window, to forever, and back to the gateway's default, as the store reads it", async () => {
    for (const [arg, stored, said] of [
      ['30d', 30 * 86_400_000, /keeps events for 30d/],
      ['12h', 12 * 3_600_000, /keeps events for 12h/],
      ['90m', 90 * 60_000, /keeps events for 90m/],
      ['forever', 'forever', /keeps events forever/],
      ['default', null, /follows HOOKGRAPH_RETENTION/],
    ] as const) {
      const run = await cli('tenants', 'retention', 'acme', arg);
      expect({ arg, code: run.code }).toEqual({ arg, code: 0 });
      expect(run.stdout).toMatch(said);
      expect(await retentionOf('acme')).toEqual(stored);
    }
    await cli('tenants', 'retention', 'globex', '7d');
    const listed = JSON.parse((await cli('tenants', 'list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed.find((t) => t['name'] === 'globex')).toMatchObject({ retentionMs: 7 * 86_400_000, retentionOverride: true });
  }, 60_000);

  it('refuses a malformed duration (exit 2) and an unknown tenant (exit 1), changing nothing', async () => {
    await cli('tenants', 'retention', 'acme', '30d');
    for (const bad of ['30', '30x', '0d', '1.5d', 'never']) {
      const run = await cli('tenants', 'retention', 'acme', bad);
      expect({ bad, code: run.code }).toEqual({ bad, code: 2 });
      expect(run.stderr).toMatch(/expected a duration like 30d, 12h or 90m/);
    }
    const unknown = await cli('tenants', 'retention', 'acmee', '1d');
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'error: no tenant named acmee (hookgraph tenants list shows them)\n' });
    expect(await retentionOf('acme')).toBe(30 * 86_400_000);
  }, 60_000);
});
