import { pino } from 'pino';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** Entry point: config → buildApp → start; SIGINT/SIGTERM stop gracefully. The only file with side effects. */
const config = loadConfig();

// Requests and subscriptions contain their own failures (masked errors, a field error per unreadable
// value, an error result for anything unserializable), so a throw that reaches here is a bug and the
// process state is unknown: Node's default stands (exit 1, the supervisor restarts a clean process).
// The monitor only records it first, as one JSON line with message and stack, instead of bare stderr.
const fatal = pino({ level: 'fatal' });
process.on('uncaughtExceptionMonitor', (err, origin) => fatal.fatal({ err, origin }, 'uncaught exception: exiting'));

const app = await buildApp(config);
await app.start();

const out = (line = '') => process.stdout.write(`${line}\n`);
out();
out(`hookgraph is listening on ${app.url}  (GraphiQL: ${app.url}/graphql)`);
out(`  database: ${app.services.store.describe}   pubsub: ${app.services.bus.kind}   sandbox: ${config.sandbox ? 'on' : 'off'}`);
const boot = app.bootstrap;
if (boot?.apiKey) {
  out();
  out(`Created tenant "${boot.tenant.name}". Its API key (shown once, store it now):`);
  out();
  out(`  ${boot.apiKey}`);
  out();
  out('Try it:');
  out(`  curl -s ${app.url}/graphql -H 'content-type: application/json' \\`);
  out(`    -H 'authorization: Bearer ${boot.apiKey}' \\`);
  out(`    -d '{"query":"{ providers { key name eventTypes { name unifiedType } connection { baseUrl } } }"}'`);
  out();
  out(`In GraphiQL, set the header {"authorization": "Bearer ${boot.apiKey}"}.`);
} else if (boot) {
  out(`Tenant "${boot.tenant.name}" exists. New key: npm run cli -- keys create --tenant ${boot.tenant.name}`);
}
if (boot && boot.connected.length > 0) out(`Connected "${boot.tenant.name}" to the sandbox vendors: ${boot.connected.join(', ')}`);
out();

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    out(`\n${signal}: stopping…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
