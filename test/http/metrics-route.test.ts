import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../utils/app.js';

const TOKEN = randomBytes(24).toString('base64url');
const withToken = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('/metrics behind a bearer token (HOOKGRAPH_METRICS_TOKEN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { metricsToken: TOKEN } });
  });

  it('answers 401 to a scrape without the token, with a wrong one of the same or another length, or another scheme', async () => {
    const forged = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('A') ? 'B' : 'A'}`;
    for (const init of [{}, withToken(forged), withToken(`${TOKEN}x`), withToken(''), { headers: { authorization: `Basic ${TOKEN}` } }]) {
      const res = await fetch(`${t.url}/metrics`, init);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain('hookgraph_');
    }
  });

  it('serves the metrics to a scrape with the token', async () => {
    const res = await fetch(`${t.url}/metrics`, withToken(TOKEN));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('hookgraph_build_info');
  });
});

describe('/metrics on its own port (HOOKGRAPH_METRICS_PORT)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { metricsPort: 0, metricsToken: TOKEN } });
  });

  it('serves /metrics on its own port only: the public port answers 404, even with the token', async () => {
    expect(t.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.app.metricsUrl).not.toBe(t.url);
    expect((await fetch(`${t.url}/metrics`, withToken(TOKEN))).status).toBe(404);
    expect((await fetch(`${t.app.metricsUrl}/metrics`, withToken(TOKEN))).status).toBe(200);
    // Still behind the token there.
    expect((await fetch(`${t.app.metricsUrl}/metrics`)).status).toBe(401);
  });

  it('serves nothing else on the metrics port', async () => {
    for (const path of ['/', '/graphql', '/health', '/hooks/x/y', '/metrics/x']) {
      expect((await fetch(`${t.app.metricsUrl}${path}`, withToken(TOKEN))).status).toBe(404);
    }
    expect((await fetch(`${t.app.metricsUrl}/metrics`, { method: 'POST', ...withToken(TOKEN) })).status).toBe(405);
  });
});

describe('the metrics port and the app', () => {
  it('closes the metrics port when the app stops', async () => {
    const t = await startTestApp({ config: { metricsPort: 0 } });
    let stopped = false;
    try {
      const metricsUrl = t.app.metricsUrl as string;
      expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);
      await t.stop();
      stopped = true;
      await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
    } finally {
      if (!stopped) await t.stop();
    }
  });
});
