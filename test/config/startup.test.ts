import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort, listenOn, type ServerProcess, STACK_TRACE, spawnServer, tempDataDir } from './spawn-server.js';

const key = () => randomBytes(32).toString('base64');

/** The process exits non-zero, its fatal lines are exactly `messages`, and nothing anywhere is a stack trace. */
async function expectRefused(server: ServerProcess, messages: (string | RegExp)[]): Promise<void> {
  expect(await server.exited).toBe(1);
  const fatal = server.lines.filter((l) => l.level === 60).map((l) => l.msg);
  expect(fatal).toHaveLength(messages.length);
  // One line per problem, in any order.
  for (const m of messages) expect(fatal.filter((line) => (typeof m === 'string' ? line === m : m.test(line)))).toHaveLength(1);
  expect(server.stdout() + server.stderr()).not.toMatch(STACK_TRACE);
  expect(server.stderr()).toBe('');
}

describe('a start with a configuration mistake stops at once, naming the variable, without a stack trace', () => {
  it('refuses a MySQL DATABASE_URL instead of creating a SQLite file named after it, and hides its password', async () => {
    const dir = tempDataDir();
    const server = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir, DATABASE_URL: 'mysql://app:hunter2@db:3306/hooks' });
    await expectRefused(server, [
      'DATABASE_URL must be a SQLite (file:<path>) or PostgreSQL (postgres://…) URL; mysql is not supported, got "mysql://app:***@db:3306/hooks"; e.g. DATABASE_URL=postgres://hookgraph:secret@db:5432/hookgraph',
    ]);
    expect(server.stdout()).not.toContain('hunter2');
  });

  it('refuses HOOKGRAPH_SANDBOX=maybe with the values it takes and an example', async () => {
    const server = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: tempDataDir(), HOOKGRAPH_SANDBOX: 'maybe' });
    await expectRefused(server, ['HOOKGRAPH_SANDBOX must be a boolean (1/0/true/false), got "maybe"; e.g. HOOKGRAPH_SANDBOX=0']);
    expect(server.lines[0]?.['variable']).toBe('HOOKGRAPH_SANDBOX');
  });

  it('refuses a HOOKGRAPH_PUBLIC_URL with a path before any vendor sees a deliveryUrl built on it', async () => {
    const server = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: tempDataDir(), HOOKGRAPH_PUBLIC_URL: 'https://hooks.example.com/gateway' });
    await expectRefused(server, [
      'HOOKGRAPH_PUBLIC_URL must be an origin without path, query or fragment (deliveryUrls add /hooks/…), got "https://hooks.example.com/gateway"; e.g. HOOKGRAPH_PUBLIC_URL=https://hooks.example.com',
    ]);
  });

  it('reports every problem at once, one line each', async () => {
    const server = spawnServer({
      PORT: 'eighty',
      HOOKGRAPH_DATA_DIR: tempDataDir(),
      HOOKGRAPH_SECRET_KEY: 'too-short',
      HOOKGRAPH_RETENTION: 'a month',
      LOG_LEVEL: 'verbose',
    });
    await expectRefused(server, [/^PORT /, /^HOOKGRAPH_SECRET_KEY .*got a value of 9 characters/, /^HOOKGRAPH_RETENTION /, /^LOG_LEVEL /]);
    expect(server.stdout()).not.toContain('too-short');
  });

  it('says which port is taken when PORT is in use', async () => {
    const { port } = await listenOn(0);
    const server = spawnServer({ PORT: String(port), HOOKGRAPH_DATA_DIR: tempDataDir() });
    await expectRefused(server, [new RegExp(`^PORT ${port} is in use \\(EADDRINUSE\\); set PORT to a free port`)]);
  });

  it('says an unreachable PostgreSQL is unreachable, naming DATABASE_URL without its password', async () => {
    const port = await closedPort();
    const server = spawnServer({
      PORT: '0',
      HOOKGRAPH_DATA_DIR: tempDataDir(),
      DATABASE_URL: `postgres://hookgraph:hunter2@127.0.0.1:${port}/hookgraph`,
    });
    await expectRefused(server, [`DATABASE_URL postgres://hookgraph:***@127.0.0.1:${port}/hookgraph is unreachable: ECONNREFUSED`]);
    expect(server.stdout()).not.toContain('hunter2');
  });
});

describe('the secret key', () => {
  it('stops a start whose HOOKGRAPH_SECRET_KEY is not the one the database was created with', async () => {
    const dir = tempDataDir();
    const first = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir, HOOKGRAPH_SECRET_KEY: key() });
    // Bootstrap seals the default tenant's sandbox credentials with the first key.
    await first.waitFor((l) => l.msg.startsWith('connected tenant default'), 'connecting the sandbox');
    expect(await first.stop()).toBe(0);

    const second = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir, HOOKGRAPH_SECRET_KEY: key() });
    await expectRefused(second, [
      `HOOKGRAPH_SECRET_KEY does not open the data in sqlite:${join(dir, 'hookgraph.sqlite')}: it is not the key this database was created with`,
    ]);

    // Without the variable, the development key file generated now is just as wrong, and the message names it.
    const third = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir });
    await expectRefused(third, [
      `the key file ${join(dir, 'secret.key')} (HOOKGRAPH_SECRET_KEY is not set) does not open the data in sqlite:${join(dir, 'hookgraph.sqlite')}: it is not the key this database was created with`,
    ]);
  }, 60_000);
});

describe('startup log', () => {
  it('warns about a misspelt HOOKGRAPH_ variable with the name it resembles, and still starts', async () => {
    const server = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: tempDataDir(), HOOKGRAPH_SANBOX: '0' });
    const warning = await server.waitFor((l) => l.level === 40, 'warning');
    expect(warning.msg).toBe('HOOKGRAPH_SANBOX is not a hookgraph setting and is ignored; did you mean HOOKGRAPH_SANDBOX?');
    expect(warning['variable']).toBe('HOOKGRAPH_SANBOX');
    const url = await server.listening();
    // The typo changed nothing: development keeps the sandbox on.
    expect((await fetch(`${url}/sandbox/paybook/v1/webhooks`)).status).not.toBe(404);
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it('prints the development key once, as a field of one JSON line, and a working one', async () => {
    const dir = tempDataDir();
    const first = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir, LOG_LEVEL: 'warn' });
    const starting = await first.waitFor((l) => l.msg.startsWith('hookgraph starting'), 'starting');
    expect(starting).toMatchObject({ profile: 'development', sandbox: true, bootstrap: true, retention: 'forever' });
    const url = await first.listening();
    const line = await first.waitFor((l) => l.msg === 'API key for tenant default (shown once, store it now)', 'with the key');
    const apiKey = line['key'] as string;
    expect(apiKey).toMatch(/^hg_/);
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: '{ providers { key } }' }),
    });
    expect(res.status).toBe(200);
    expect(
      first
        .stdout()
        .split('\n')
        .filter((l) => l.includes(apiKey)),
    ).toHaveLength(1);
    expect(await first.stop()).toBe(0);

    const second = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: dir });
    await second.waitFor((l) => l.msg.startsWith('tenant default exists'), 'saying the tenant exists');
    expect(second.stdout()).not.toMatch(/hg_/);
    expect(await second.stop()).toBe(0);
  }, 60_000);

  it('in production states the profile and the settings with secrets redacted, and never prints a key', async () => {
    const dir = tempDataDir();
    const secret = key();
    const token = randomBytes(24).toString('hex');
    const server = spawnServer({
      PORT: '0',
      NODE_ENV: 'production',
      HOOKGRAPH_DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'prod.sqlite')}`,
      HOOKGRAPH_SECRET_KEY: secret,
      HOOKGRAPH_METRICS_TOKEN: token,
      // Asked for explicitly: the default tenant is made, but its key is still never printed.
      HOOKGRAPH_BOOTSTRAP: '1',
    });
    const starting = await server.waitFor((l) => l.msg.startsWith('hookgraph starting'), 'starting');
    expect(starting).toMatchObject({
      msg: 'hookgraph starting (production profile)',
      profile: 'production',
      sandbox: false,
      bootstrap: true,
      retention: `${30 * 86_400}s`,
      settings: {
        PORT: '0',
        NODE_ENV: 'production',
        HOOKGRAPH_DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'prod.sqlite')}`,
        HOOKGRAPH_SECRET_KEY: '[redacted]',
        HOOKGRAPH_METRICS_TOKEN: '[redacted]',
        HOOKGRAPH_BOOTSTRAP: '1',
      },
    });
    const url = await server.listening();
    await server.waitFor(
      (l) => l.msg === 'no API key is printed in production; create one with: npx hookgraph keys create --tenant <name> --create',
      'telling how to create a key',
    );
    // Without HOOKGRAPH_PUBLIC_URL deliveryUrls would name this listener: production warns.
    expect(server.lines.some((l) => l.level === 40 && String(l.msg).startsWith('HOOKGRAPH_PUBLIC_URL is not set'))).toBe(true);
    expect((await fetch(`${url}/sandbox/paybook/v1/webhooks`)).status).toBe(404);
    expect(await server.stop()).toBe(0);
    const all = server.stdout() + server.stderr();
    expect(all).not.toContain(secret);
    expect(all).not.toContain(token);
    expect(all).not.toMatch(/hg_[A-Za-z0-9]/);
  }, 60_000);
});

describe('a dead REDIS_URL', () => {
  it('is reported once, as JSON, while ioredis keeps retrying, and the gateway keeps serving', async () => {
    const port = await closedPort();
    const server = spawnServer({ PORT: '0', HOOKGRAPH_DATA_DIR: tempDataDir(), REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    const url = await server.listening();
    const line = await server.waitFor((l) => String(l.msg).startsWith('REDIS_URL'), 'about Redis');
    expect(line.msg).toMatch(new RegExp(`^REDIS_URL redis://:\\*\\*\\*@127.0.0.1:${port} is unreachable: ECONNREFUSED; retrying`));

    // Count the retries from here on: a listener on the dead port that hangs up on each attempt.
    let attempts = 0;
    let enough: () => void = () => {};
    const counted = new Promise<void>((resolve) => (enough = resolve));
    await listenOn(port, (socket) => {
      socket.destroy();
      if (++attempts >= 6) enough();
    });
    await counted;

    expect(server.lines.filter((l) => /redis/i.test(l.msg))).toEqual([line]);
    expect(server.stderr()).not.toContain('[ioredis]');
    expect(server.stdout()).not.toContain('hunter2');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(503);
    expect(await server.stop()).toBe(0);
    expect(server.stdout() + server.stderr()).not.toMatch(STACK_TRACE);
  }, 60_000);
});
