import { describe, expect, it, vi } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { hasStack, hookgraph, scratch } from './run.js';

describe('hookgraph keys', () => {
  const s = scratch();
  const cli = (...args: string[]) => hookgraph(args, { env: s.env });
  const open = () => createStore({ databaseUrl: s.env.DATABASE_URL, secretKey: Buffer.from(s.secretKey, 'base64') });

  it('refuses a key for a tenant that does not exist (a typo in --tenant) unless --create, creating nothing', async () => {
    const run = await cli('keys', 'create', '--tenant', 'acme');
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: no tenant named acme; add --create to create it\n' });
    const store = await open();
    try {
      expect(await store.tenants.findByName('acme')).toBeNull();
      expect(await store.apiKeys.list()).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('creates the tenant and a key with --create; the last line is the key, and it authenticates as that tenant', async () => {
    const run = await cli('keys', 'create', '--tenant', 'acme', '--create', '--name', 'ci');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^created tenant acme\n/);
    const key = run.stdout.trim().split('\n').at(-1) as string;
    expect(key).toMatch(/^hg_[A-Za-z0-9]{12}_[A-Za-z0-9_-]+$/);
    // The tenant exists now: no --create needed, and no second tenant.
    const again = await cli('keys', 'create', '--tenant', 'acme');
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('created tenant');
    const store = await open();
    try {
      expect((await store.apiKeys.authenticate(key))?.tenant.name).toBe('acme');
      expect((await store.tenants.list()).map((t) => t.name)).toEqual(['acme']);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('lists keys as a JSON array with --json, and never prints a secret', async () => {
    const created = await cli('keys', 'create', '--tenant', 'globex', '--create');
    const key = created.stdout.trim().split('\n').at(-1) as string;
    const id = key.split('_')[1] as string;
    const listed = await cli('keys', 'list', '--json');
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(keys)).toBe(true);
    expect(keys.find((k) => k['id'] === id)).toEqual({
      id,
      tenant: 'globex',
      name: 'cli',
      createdAt: expect.any(String),
      revokedAt: null,
      scopes: ['ADMIN'],
      filter: null,
      expiresAt: null,
      lastUsedAt: null,
    });
    expect(listed.stdout).not.toContain(key.split('_').slice(2).join('_'));
    const one = JSON.parse((await cli('keys', 'list', '--tenant', 'globex', '--json')).stdout) as unknown[];
    expect(one).toHaveLength(1);
    const text = await cli('keys', 'list', '--tenant', 'globex');
    expect(text.stdout).toMatch(new RegExp(`^${id}\\s+globex\\s+cli\\s+admin\\s+\\S+\\s+never\\s+never\\s+active$`, 'm'));
  }, 30_000);

  it('revokes a key once, answers a second revoke with exit 0 and "already revoked", and an unknown id with exit 1', async () => {
    const key = (await cli('keys', 'create', '--tenant', 'initech', '--create')).stdout.trim().split('\n').at(-1) as string;
    const id = key.split('_')[1] as string;
    // The whole key works as well as its id, and only the id is ever echoed.
    const first = await cli('keys', 'revoke', key);
    expect(first).toEqual({ code: 0, stdout: `revoked key ${id}\n`, stderr: '' });
    const second = await cli('keys', 'revoke', id);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^key ${id} was already revoked`));
    const unknown = await cli('keys', 'revoke', 'NoSuchKeyId1');
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'error: no key NoSuchKeyId1\n' });
    const store = await open();
    try {
      expect(await store.apiKeys.authenticate(key)).toBeNull();
    } finally {
      await store.close();
    }
  }, 30_000);

  it('creates a key with --scope and --expires, and lists its scopes, expiry and last use', async () => {
    const before = Date.now();
    const options = ['--scope', 'read, SUBSCRIBE,read', '--expires', '30d', '--name', 'web'];
    const run = await cli('keys', 'create', '--tenant', 'umbrella', '--create', ...options);
    expect(run.code).toBe(0);
    const key = run.stdout.trim().split('\n').at(-1) as string;
    const id = key.split('_')[1] as string;
    expect(run.stdout).toMatch(
      new RegExp(`^created key ${id} for tenant umbrella \\(read,subscribe; expires \\S+Z\\); it is shown once:$`, 'm'),
    );
    const store = await open();
    try {
      const authenticated = await store.apiKeys.authenticate(key);
      expect(authenticated?.key.scopes).toEqual(['READ', 'SUBSCRIBE']);
      const expiresAt = authenticated?.key.expiresAt?.getTime() ?? 0;
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
      // The use is written off the answer's path: wait for it before closing the store.
      await vi.waitFor(async () => expect((await store.apiKeys.list()).find((k) => k.id === id)?.lastUsedAt).toBeInstanceOf(Date));
    } finally {
      await store.close();
    }
    const [listed] = JSON.parse((await cli('keys', 'list', '--tenant', 'umbrella', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toMatchObject({ id, name: 'web', scopes: ['READ', 'SUBSCRIBE'], filter: null, revokedAt: null });
    expect(Date.parse(listed?.['expiresAt'] as string)).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(Date.parse(listed?.['lastUsedAt'] as string)).toBeGreaterThanOrEqual(before);
    const text = await cli('keys', 'list', '--tenant', 'umbrella');
    expect(text.stdout).toMatch(/^ID\s+TENANT\s+NAME\s+SCOPES\s+CREATED\s+EXPIRES\s+LAST USED\s+STATUS$/m);
    const iso = '\\d{4}-\\d\\d-\\d\\dT\\S+Z';
    expect(text.stdout).toMatch(new RegExp(`^${id}\\s+umbrella\\s+web\\s+read,subscribe\\s+${iso}\\s+${iso}\\s+${iso}\\s+active$`, 'm'));
  }, 30_000);

  it('refuses an unknown or empty --scope and a malformed --expires with exit 2, creating nothing', async () => {
    const refusals: Array<[string, string, RegExp]> = [
      ['--scope', 'root', /unknown scope "root"; expected a comma list of admin, read, subscribe/],
      ['--scope', '', /empty scope in ""/],
      ['--scope', 'read,,admin', /empty scope in "read,,admin"/],
      ['--expires', '30', /expected a duration like 30d, 12h or 90m/],
      ['--expires', '0d', /expected a duration like 30d, 12h or 90m/],
      ['--expires', '3651d', /at most 3650d/],
      ['--expires', 'soon', /expected a duration like 30d, 12h or 90m/],
    ];
    for (const [option, value, message] of refusals) {
      const run = await cli('keys', 'create', '--tenant', 'hooli', '--create', option, value);
      expect({ option, value, code: run.code, stdout: run.stdout }).toEqual({ option, value, code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(hasStack(run.stderr)).toBe(false);
    }
    const store = await open();
    try {
      expect(await store.tenants.findByName('hooli')).toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);

  it('refuses to list the keys of an unknown tenant with exit 1, without a stack trace', async () => {
    const run = await cli('keys', 'list', '--tenant', 'acmee');
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: no tenant named acmee (hookgraph tenants list shows them)\n' });
    expect(hasStack(run.stderr)).toBe(false);
  }, 30_000);
});
