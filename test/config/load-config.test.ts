import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configWarnings,
  DEFAULT_ALLOWED_HOSTS,
  describeSettings,
  KNOWN_VARIABLES,
  loadConfig,
  PACKAGE_ROOT,
  redactUrl,
  settingsTable,
} from '../../src/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const DAY = 86_400_000;

/** The ConfigError's lines for an environment (fails when it loads). */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`loaded: ${JSON.stringify(env)}`);
}

describe('profiles', () => {
  it("keeps the newcomer's development defaults on an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      profile: 'development',
      port: 4000,
      host: '127.0.0.1',
      publicUrl: null,
      sandbox: true,
      bootstrap: true,
      retentionMs: null,
      secretKey: null,
      redisUrl: null,
      redisPrefix: 'hookgraph',
      allowedHosts: DEFAULT_ALLOWED_HOSTS,
      maxBodyBytes: 1024 * 1024,
      logLevel: 'info',
      metricsToken: null,
      metricsPort: null,
      pgSchema: null,
    });
    expect(c.limits).toMatchObject({ maxJsonDepth: 64, maxEventsPerDelivery: 1_000, graphqlMaxCost: 5_000, subscriberBufferEvents: 1_000 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.limits)).toBe(true);
  });

  it('turns the sandbox and bootstrap off and keeps 30 days in production (NODE_ENV=production)', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      profile: 'production',
      sandbox: false,
      bootstrap: false,
      retentionMs: 30 * DAY,
    });
  });

  it('counts a HOOKGRAPH_PUBLIC_URL as production, and keeps only its origin', () => {
    expect(loadConfig({ HOOKGRAPH_PUBLIC_URL: 'https://Hooks.Example.com/' })).toMatchObject({
      profile: 'production',
      publicUrl: 'https://hooks.example.com',
      sandbox: false,
    });
  });

  it('still turns the sandbox, bootstrap and retention on or off when asked explicitly', () => {
    expect(
      loadConfig({ NODE_ENV: 'production', HOOKGRAPH_SANDBOX: 'true', HOOKGRAPH_BOOTSTRAP: '1', HOOKGRAPH_RETENTION: 'off' }),
    ).toMatchObject({
      sandbox: true,
      bootstrap: true,
      retentionMs: null,
    });
    expect(loadConfig({ HOOKGRAPH_SANDBOX: 'OFF', HOOKGRAPH_BOOTSTRAP: 'no', HOOKGRAPH_RETENTION: '12h' })).toMatchObject({
      profile: 'development',
      sandbox: false,
      bootstrap: false,
      retentionMs: 12 * 3_600_000,
    });
  });

  it('treats an empty value as unset, as a compose file writes FOO=', () => {
    expect(loadConfig({ PORT: '', HOOKGRAPH_SANDBOX: '', HOOKGRAPH_PUBLIC_URL: '' })).toMatchObject({
      port: 4000,
      sandbox: true,
      profile: 'development',
    });
  });

  it('lets tests and embedders override single settings and limits without an environment', () => {
    const c = loadConfig({ HOOKGRAPH_MAX_JSON_DEPTH: '10' }, { port: 0, limits: { maxEventsPerDelivery: 5 } });
    expect(c.port).toBe(0);
    expect(c.limits).toMatchObject({ maxJsonDepth: 10, maxEventsPerDelivery: 5, graphqlMaxDepth: 12 });
  });
});

describe('the data directory', () => {
  it("defaults to data/ beside hookgraph's package.json, whatever the working directory", () => {
    expect(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name).toBe('hookgraph');
    const elsewhere = mkdtempSync(join(tmpdir(), 'hookgraph-cwd-'));
    const cwd = process.cwd();
    try {
      process.chdir(elsewhere);
      const c = loadConfig({});
      expect(c.dataDir).toBe(join(PACKAGE_ROOT, 'data'));
      expect(c.databaseUrl).toBe(`file:${join(PACKAGE_ROOT, 'data', 'hookgraph.sqlite')}`);
      // HOOKGRAPH_DATA_DIR overrides it (relative to the working directory, like any path argument).
      expect(loadConfig({ HOOKGRAPH_DATA_DIR: 'state' }).dataDir).toBe(join(process.cwd(), 'state'));
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(existsSync(join(elsewhere, 'data'))).toBe(false);
  });
});

describe('DATABASE_URL', () => {
  it('accepts SQLite as file: or sqlite: (and the file:/// spelling), stored as an absolute file: path', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:var/hg.sqlite' }).databaseUrl).toBe(`file:${resolve('var/hg.sqlite')}`);
    expect(loadConfig({ DATABASE_URL: 'file:///srv/hg.sqlite' }).databaseUrl).toBe('file:/srv/hg.sqlite');
    expect(loadConfig({ DATABASE_URL: 'sqlite:///srv/hg.sqlite' }).databaseUrl).toBe('file:/srv/hg.sqlite');
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databaseUrl).toBe('file::memory:');
  });

  it('accepts postgres:// and postgresql:// as they are', () => {
    for (const url of ['postgres://hg:pw@db:5432/hg', 'postgresql://db/hg?sslmode=require'])
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('refuses another database with an example, never echoing the password', () => {
    expect(problems({ DATABASE_URL: 'mysql://root:hunter2@db/hooks' })).toEqual([
      'DATABASE_URL must be a SQLite (file:<path>) or PostgreSQL (postgres://…) URL; mysql is not supported, got "mysql://root:***@db/hooks"; e.g. DATABASE_URL=postgres://hookgraph:secret@db:5432/hookgraph',
    ]);
  });

  it('refuses a bare path, suggesting the same path as a file: URL', () => {
    expect(problems({ DATABASE_URL: 'data/hookgraph.sqlite' })).toEqual([
      'DATABASE_URL must start with file: or sqlite: (SQLite) or postgres:// (PostgreSQL); a bare path is refused, got "data/hookgraph.sqlite"; e.g. DATABASE_URL=file:data/hookgraph.sqlite',
    ]);
  });

  it('refuses a PostgreSQL URL without a host, and a file: URL without a path', () => {
    expect(problems({ DATABASE_URL: 'postgres://' })[0]).toMatch(/^DATABASE_URL must be a PostgreSQL URL with a host/);
    expect(problems({ DATABASE_URL: 'file:' })[0]).toMatch(/^DATABASE_URL must name a SQLite file/);
  });
});

describe('HOOKGRAPH_PUBLIC_URL', () => {
  it.each([
    ['hooks.example.com', 'must be an absolute URL'],
    ['ftp://hooks.example.com', 'must be an http(s) URL'],
    ['https://user:pw@hooks.example.com', 'must not carry credentials'],
    ['https://hooks.example.com/gateway', 'must be an origin without path, query or fragment'],
    ['https://hooks.example.com/?x=1', 'must be an origin without path, query or fragment'],
  ])('refuses %s', (value, problem) => {
    expect(problems({ HOOKGRAPH_PUBLIC_URL: value })[0]).toMatch(
      new RegExp(
        `^HOOKGRAPH_PUBLIC_URL ${problem.replace(/[()]/g, '\\$&')}.*; e\\.g\\. HOOKGRAPH_PUBLIC_URL=https://hooks\\.example\\.com$`,
      ),
    );
  });
});

describe('HOOKGRAPH_CORS_ORIGINS', () => {
  it('allows any loopback origin in development and none in production unless set', () => {
    expect(loadConfig({}).corsOrigins).toBe('loopback');
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ HOOKGRAPH_PUBLIC_URL: 'https://hooks.example.com' }).corsOrigins).toEqual([]);
  });

  it('keeps exact origins as browsers send them: lower-case, no default port, no trailing slash, each once', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        HOOKGRAPH_CORS_ORIGINS: ' https://App.Example.com/, http://localhost:5173,,https://app.example.com:443',
      }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    // Set in development, the list replaces the loopback default.
    expect(loadConfig({ HOOKGRAPH_CORS_ORIGINS: 'http://[::1]:3000' }).corsOrigins).toEqual(['http://[::1]:3000']);
  });

  const exact = 'must list exact origins, without * or wildcards: name each origin a browser app is served from';
  it.each([
    ['*', exact],
    ['https://app.example.com,*', exact],
    ['https://*.example.com', exact],
    ['app.example.com', 'must be a comma-separated list of http(s) origins (scheme://host[:port]); "app.example.com" is not one'],
    ['ws://app.example.com', 'must be a comma-separated list of http(s) origins (scheme://host[:port]); "ws://app.example.com" is not one'],
    ['null', 'must be a comma-separated list of http(s) origins (scheme://host[:port]); "null" is not one'],
    [
      'https://app.example.com/console',
      `must list origins without path, query or fragment (a browser's Origin header has none); "https://app.example.com/console" has one`,
    ],
    [' , ', 'must be a comma-separated list of origins'],
  ])('refuses %j with a message and an example', (value, problem) => {
    expect(problems({ HOOKGRAPH_CORS_ORIGINS: value })).toEqual([
      `HOOKGRAPH_CORS_ORIGINS ${problem}, got ${JSON.stringify(value)}; e.g. HOOKGRAPH_CORS_ORIGINS=https://app.example.com,http://localhost:5173`,
    ]);
  });
});

describe('validation messages', () => {
  it('reports every problem at once, one line per variable, each with the value and an example', () => {
    expect(
      problems({
        PORT: '70000',
        HOOKGRAPH_SANDBOX: 'maybe',
        HOOKGRAPH_RETENTION: 'a month',
        LOG_LEVEL: 'verbose',
        HOOKGRAPH_ALLOWED_HOSTS: 'api.rootfi.dev, https://x',
        HOOKGRAPH_MAX_JSON_DEPTH: '0',
        REDIS_URL: 'localhost:6379',
      }),
    ).toEqual([
      'PORT must be a whole number from 0 to 65535, got "70000"; e.g. PORT=4000',
      'REDIS_URL must be a redis:// or rediss:// URL, got "localhost:6379"; e.g. REDIS_URL=redis://redis:6379',
      'HOOKGRAPH_SANDBOX must be a boolean (1/0/true/false), got "maybe"; e.g. HOOKGRAPH_SANDBOX=0',
      'HOOKGRAPH_RETENTION must be a duration like 30d, 12h or 90m (or 0/off to keep everything), got "a month"; e.g. HOOKGRAPH_RETENTION=30d',
      'HOOKGRAPH_ALLOWED_HOSTS must be a comma-separated list of host names (a leading *. allowed), got "api.rootfi.dev, https://x"; e.g. HOOKGRAPH_ALLOWED_HOSTS=*.booqable.com,sync.paybook.com',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"; e.g. LOG_LEVEL=info',
      'HOOKGRAPH_MAX_JSON_DEPTH must be a whole number of at least 1, got "0"; e.g. HOOKGRAPH_MAX_JSON_DEPTH=64',
    ]);
  });

  it('never echoes a secret: only its length', () => {
    const lines = problems({ HOOKGRAPH_SECRET_KEY: 'hunter2hunter2', HOOKGRAPH_METRICS_TOKEN: 'tok-hunter2' });
    expect(lines).toEqual([
      'HOOKGRAPH_SECRET_KEY must be 32 bytes as base64 (44 characters) or hex (64 characters), got a value of 14 characters; e.g. HOOKGRAPH_SECRET_KEY=$(openssl rand -base64 32)',
      'HOOKGRAPH_METRICS_TOKEN must be at least 16 characters, got a value of 11 characters; e.g. HOOKGRAPH_METRICS_TOKEN=$(openssl rand -hex 24)',
    ]);
  });

  it('takes a 32-byte key as base64, base64url or hex', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    for (const text of [bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')]) {
      expect(loadConfig({ HOOKGRAPH_SECRET_KEY: text }).secretKey).toBe(text);
    }
    expect(problems({ HOOKGRAPH_SECRET_KEY: Buffer.alloc(31).toString('base64') })[0]).toMatch(/^HOOKGRAPH_SECRET_KEY must be 32 bytes/);
  });

  it('refuses HOOKGRAPH_PG_SCHEMA that is not a plain identifier, or without PostgreSQL', () => {
    const pg = 'postgres://db/hg';
    expect(loadConfig({ DATABASE_URL: pg, HOOKGRAPH_PG_SCHEMA: 'hookgraph_prod' }).pgSchema).toBe('hookgraph_prod');
    expect(problems({ DATABASE_URL: pg, HOOKGRAPH_PG_SCHEMA: 'x"; drop schema public; --' })[0]).toMatch(
      /^HOOKGRAPH_PG_SCHEMA must be a lower-case identifier \(a-z, 0-9, _\), got /,
    );
    expect(problems({ HOOKGRAPH_PG_SCHEMA: 'hookgraph' })).toEqual([
      'HOOKGRAPH_PG_SCHEMA applies to PostgreSQL only, but DATABASE_URL is unset (SQLite); unset it or e.g. DATABASE_URL=postgres://user:password@host:5432/db',
    ]);
  });

  it('refuses a metrics port that is the main port', () => {
    expect(problems({ PORT: '9464', HOOKGRAPH_METRICS_PORT: '9464' })).toEqual([
      'HOOKGRAPH_METRICS_PORT must differ from PORT (both 9464); e.g. HOOKGRAPH_METRICS_PORT=9464, or unset it to serve /metrics on PORT',
    ]);
  });
});

describe('warnings', () => {
  const warnings = (env: Record<string, string>) => configWarnings(env, loadConfig(env));

  it('names the setting a misspelt, lower-case or wrongly prefixed HOOKGRAPH_ variable resembles', () => {
    expect(
      warnings({
        HOOKGRAPH_SANBOX: '0',
        hookgraph_bootstrap: '0',
        HOOKGRAPH_PORT: '80',
        HOOKGRAPH_RETENTON: '1d',
        HOOKGRAPH_WHATEVER: '1',
      }),
    ).toEqual([
      'HOOKGRAPH_SANBOX is not a hookgraph setting and is ignored; did you mean HOOKGRAPH_SANDBOX?',
      'hookgraph_bootstrap is not a hookgraph setting and is ignored; did you mean HOOKGRAPH_BOOTSTRAP?',
      'HOOKGRAPH_PORT is not a hookgraph setting and is ignored; did you mean PORT?',
      'HOOKGRAPH_RETENTON is not a hookgraph setting and is ignored; did you mean HOOKGRAPH_RETENTION?',
      'HOOKGRAPH_WHATEVER is not a hookgraph setting and is ignored',
    ]);
  });

  it("knows the test suite's own variables and everyone else's", () => {
    expect(
      warnings({
        HOOKGRAPH_REQUIRE_SERVICES: '1',
        HOOKGRAPH_TEST_POSTGRES_URL: 'postgres://x/y',
        HOOKGRAPH_TEST_REDIS_URL: 'redis://x',
        PATH: '/bin',
        HOME: '/root',
      }),
    ).toEqual([]);
  });

  it('warns in production about the sandbox, a key file instead of HOOKGRAPH_SECRET_KEY, and a missing public URL', () => {
    expect(warnings({ NODE_ENV: 'production', HOOKGRAPH_SANDBOX: '1' }).map((w) => w.split(' ')[0])).toEqual([
      'HOOKGRAPH_SANDBOX',
      'HOOKGRAPH_SECRET_KEY',
      'HOOKGRAPH_PUBLIC_URL',
    ]);
    expect(warnings({ HOOKGRAPH_PUBLIC_URL: 'https://hooks.example.com', HOOKGRAPH_SECRET_KEY: KEY })).toEqual([]);
  });
});

describe('what the startup log shows', () => {
  it('lists every variable that is set, with secrets redacted and passwords starred', () => {
    expect(
      describeSettings({
        PORT: '8080',
        HOOKGRAPH_SECRET_KEY: KEY,
        HOOKGRAPH_METRICS_TOKEN: 'a-long-metrics-token',
        DATABASE_URL: 'postgres://hg:hunter2@db:5432/hg?sslpassword=pw2&sslmode=require',
        REDIS_URL: 'rediss://:hunter3@cache:6380/0',
        HOOKGRAPH_SANDBOX: '',
        PATH: '/bin',
        HOOKGRAPH_SANBOX: '1',
      }),
    ).toEqual({
      PORT: '8080',
      HOOKGRAPH_SECRET_KEY: '[redacted]',
      HOOKGRAPH_METRICS_TOKEN: '[redacted]',
      DATABASE_URL: 'postgres://hg:***@db:5432/hg?sslpassword=***&sslmode=require',
      REDIS_URL: 'rediss://:***@cache:6380/0',
    });
  });

  it('leaves a URL with nothing to hide as it was written', () => {
    expect(redactUrl('file:/srv/hg.sqlite')).toBe('file:/srv/hg.sqlite');
    expect(redactUrl('not a url://u:pw@host')).toBe('not a url://u:***@host');
  });
});

describe('the settings table', () => {
  it('documents every variable the gateway reads, with a default and a meaning', () => {
    const table = settingsTable();
    expect(table.map((r) => r.variable).sort()).toEqual(KNOWN_VARIABLES.filter((v) => !/^HOOKGRAPH_(TEST_|REQUIRE_)/.test(v)).sort());
    for (const row of table) expect(row.default && row.description, row.variable).toBeTruthy();
  });
});
