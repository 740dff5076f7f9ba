import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../utils/app.js';
import { serviceUrls } from '../../scripts/services.js';
import { detectServices } from '../utils/services.js';
import { hasStack, hookgraph, scratch } from './run.js';

interface Check {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  detail: string;
}

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const VENDORS = ['acme/booqable', 'acme/deskera', 'acme/paybook', 'acme/rootfi', 'acme/superoffice'];

describe('hookgraph doctor', () => {
  const s = scratch('hookgraph-doctor-');
  let port = 0;
  let env: Record<string, string> = {};
  const doctor = async (extra: Record<string, string> = {}) => {
    const run = await hookgraph(['doctor', '--json', '--timeout', '3000'], { env: { ...env, ...extra } });
    return { ...run, report: JSON.parse(run.stdout) as { ok: boolean; checks: Check[] } };
  };
  const byName = (checks: Check[]) => new Map(checks.map((c) => [c.name, c]));

  beforeAll(async () => {
    port = await freePort();
    env = { ...s.env, HOST: '127.0.0.1', PORT: String(port), HOOKGRAPH_SANDBOX: '1' };
    // A tenant connected to the five sandbox vendors of a gateway that will listen on `port`.
    const connected = await hookgraph(['sandbox', 'connect', '--tenant', 'acme', '--create'], { env });
    expect(connected.code).toBe(0);
  }, 60_000);

  it('passes every check against a running gateway, with one line per connected vendor, and exits 0', async () => {
    const t = await startTestApp({ databaseUrl: s.env.DATABASE_URL, secretKey: s.secretKey, config: { port } });
    try {
      const { code, report } = await doctor();
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      const checks = byName(report.checks);
      expect(checks.get('configuration')?.status).toBe('ok');
      expect(checks.get('database')?.detail).toMatch(/migrations applied/);
      expect(checks.get('secret key')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^HOOKGRAPH_SECRET_KEY opens/) });
      expect(checks.get('redis')?.status).toBe('skip');
      for (const vendor of VENDORS) expect(checks.get(vendor)?.status).toBe('ok');
      const text = await hookgraph(['doctor'], { env });
      expect(text.stdout).toMatch(/^ok\s+acme\/paybook\s+http:\/\/127\.0\.0\.1:\d+\/sandbox\/paybook \(\d+ ms\)$/m);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it('fails each vendor it cannot reach, one line each with the reason, and exits 1', async () => {
    const started = Date.now();
    const { code, report, stderr } = await doctor();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const checks = byName(report.checks);
    for (const vendor of VENDORS) {
      expect(checks.get(vendor)).toMatchObject({ status: 'fail', detail: expect.stringMatching(/could not be reached \(ECONNREFUSED\)$/) });
    }
    expect(checks.get('database')?.status).toBe('ok');
    expect(hasStack(stderr)).toBe(false);
    // No retries and no backoff: an unreachable vendor is reported at once, not after the server's retry schedule.
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('fails the secret key check with another key, before any vendor call, and exits 1', async () => {
    const { code, report } = await doctor({ HOOKGRAPH_SECRET_KEY: randomBytes(32).toString('base64') });
    expect(code).toBe(1);
    const checks = byName(report.checks);
    expect(checks.get('secret key')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HOOKGRAPH_SECRET_KEY does not open'),
    });
    expect(report.checks.some((c) => c.name.startsWith('acme/'))).toBe(false);
  }, 30_000);

  it('fails a configuration mistake as its first check, naming the variable', async () => {
    const { code, report } = await doctor({ HOOKGRAPH_SANDBOX: 'maybe' });
    expect(code).toBe(1);
    expect(report.checks).toEqual([{ name: 'configuration', status: 'fail', detail: expect.stringMatching(/^HOOKGRAPH_SANDBOX /) }]);
  }, 30_000);

  it('reports a Redis that does not answer in one line, within its timeout', async () => {
    const started = Date.now();
    const { code, report } = await doctor({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(byName(report.checks).get('redis')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/ECONNREFUSED|closed|no answer/),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('reports a missing SQLite database without creating it', async () => {
    const missing = join(s.dir, 'elsewhere', 'nothing-here.sqlite');
    const { code, report } = await doctor({ DATABASE_URL: `file:${missing}` });
    expect(code).toBe(1);
    expect(byName(report.checks).get('database')).toMatchObject({ status: 'fail', detail: expect.stringContaining('does not exist') });
    expect(existsSync(missing)).toBe(false);
  }, 30_000);
});

describe('hookgraph doctor with Redis', async () => {
  const services = await detectServices();
  const s = scratch('hookgraph-doctor-redis-');

  it.skipIf(!services.redis)(
    'answers PING from the configured Redis',
    async () => {
      expect((await hookgraph(['migrate'], { env: s.env })).code).toBe(0);
      const run = await hookgraph(['doctor', '--json'], { env: { ...s.env, REDIS_URL: serviceUrls().redis } });
      const report = JSON.parse(run.stdout) as { ok: boolean; checks: Check[] };
      expect(report.checks.find((c) => c.name === 'redis')).toMatchObject({
        status: 'ok',
        detail: expect.stringMatching(/^PING answered/),
      });
      expect(run.code).toBe(0);
    },
    30_000,
  );
});
