import { pino } from 'pino';
import { type App, buildApp } from './app.js';
import { type Config, ConfigError, configWarnings, describeSettings, loadConfig, redactUrl } from './config.js';

/**
 * Entry point: config → buildApp → start; SIGINT/SIGTERM stop gracefully. The only file with side effects.
 *
 * Everything it says is a pino JSON line on stdout, the banner included: one stream a log collector parses
 * whole, where a failed start explains itself in the same place as a good one (`| npx pino-pretty` for people).
 * A configuration problem is one `fatal` line each, naming its variable, and the exit code is 1: never a stack.
 */
const boot = pino({ level: 'info' });

// Requests and subscriptions contain their own failures (masked errors, a field error per unreadable
// value, an error result for anything unserializable), so a throw that reaches here is a bug and the
// process state is unknown: Node's default stands (exit 1, the supervisor restarts a clean process).
// The monitor only records it first, as one JSON line with message and stack, instead of bare stderr.
process.on('uncaughtExceptionMonitor', (err, origin) => boot.fatal({ err, origin }, 'uncaught exception: exiting'));

function refuseStart(error: unknown): never {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) boot.fatal({ variable: /^[A-Z][A-Z0-9_]+\b/.exec(problem)?.[0] }, problem);
  } else {
    // Not a configuration problem: a bug, whose stack is worth having.
    boot.fatal({ err: error }, 'hookgraph could not start');
  }
  process.exit(1);
}

let config: Readonly<Config>;
try {
  config = loadConfig();
} catch (error) {
  refuseStart(error);
}

// The startup lines are written whatever LOG_LEVEL quietens (the old banner was too), unless it is silent:
// they hold the URL, the profile and, once, the development key.
const log = boot.child({}, { level: config.logLevel === 'silent' ? 'silent' : 'info' });

for (const warning of configWarnings(process.env, config)) log.warn({ variable: /^[A-Z][A-Z0-9_]+\b/.exec(warning)?.[0] }, warning);
log.info(
  {
    profile: config.profile,
    settings: describeSettings(process.env),
    database: redactUrl(config.databaseUrl),
    dataDir: config.dataDir,
    sandbox: config.sandbox,
    bootstrap: config.bootstrap,
    retention: config.retentionMs === null ? 'forever' : `${config.retentionMs / 1000}s`,
  },
  `hookgraph starting (${config.profile} profile)`,
);

let app: App;
try {
  app = await buildApp(config);
  await app.start();
} catch (error) {
  refuseStart(error);
}

log.info(
  {
    url: app.url,
    graphiql: `${app.url}/graphql`,
    database: app.services.store.describe,
    pubsub: app.services.bus.kind,
    sandbox: config.sandbox,
  },
  `hookgraph listening on ${app.url}`,
);
const started = app.bootstrap;
if (config.profile === 'production') {
  log.info('no API key is printed in production; create one with: npx hookgraph keys create --tenant <name> --create');
} else if (started?.apiKey) {
  const curl = `curl -s ${app.url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${started.apiKey}' -d '{"query":"{ providers { key name } }"}'`;
  log.info(
    { tenant: started.tenant.name, key: started.apiKey, header: `Authorization: Bearer ${started.apiKey}`, try: curl },
    `API key for tenant ${started.tenant.name} (shown once, store it now)`,
  );
} else if (started) {
  log.info(
    { tenant: started.tenant.name },
    `tenant ${started.tenant.name} exists; a new key: npx hookgraph keys create --tenant ${started.tenant.name}`,
  );
}
if (started && started.connected.length > 0) {
  log.info({ tenant: started.tenant.name, providers: started.connected }, `connected tenant ${started.tenant.name} to the sandbox vendors`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error('did not stop within 10 s: exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  });
}
