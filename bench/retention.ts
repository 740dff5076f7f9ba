/**
 * `BENCH_ONLY=retention npm run bench`: ingest throughput while a retention pass prunes another tenant's
 * backlog of expired events, against ingest with no pass running, in alternating windows on the same
 * gateway (SQLite; PostgreSQL too when it is reachable).
 *
 * The gateway runs compiled (dist/), in a child process driven over stdin: `fill` appends a backlog of
 * back-dated events for the pruned tenant (with dedup keys, as deliveries have), `prune` starts a pass
 * (app.retention.pruneOnce, with the production batch size and pacing) and `halt` stops it after its
 * current batch and reports it; the background passes are off, so only the bench decides when one runs.
 * autocannon delivers to a Booqable webhook of another tenant in windows of equal length, with and
 * without a pass running, their order alternating between rounds; the backlog is refilled when low.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createScratchSchema } from '../scripts/services.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The child: the compiled gateway plus a line protocol on stdin/stdout (answers start with `BENCH `). */
const CHILD = (dist: string) => `
const { buildApp } = await import(${JSON.stringify(pathToFileURL(join(dist, 'app.js')).href)});
const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(dist, 'config.js')).href)});
const { randomUUID } = await import('node:crypto');
const { createInterface } = await import('node:readline');
const app = await buildApp(loadConfig(process.env));
await app.start();
// Only the bench starts passes.
await app.retention.stop();
const { store } = app.services;
const ingest = (await store.tenants.getOrCreate('bench-ingest')).tenant;
const { key } = await store.apiKeys.create(ingest.id, 'bench');
const pruned = (await store.tenants.getOrCreate('bench-pruned')).tenant;
await store.tenants.setRetention(pruned.id, 86_400_000);
const webhookId = randomUUID();
const answer = (o) => process.stdout.write('BENCH ' + JSON.stringify(o) + '\\n');
let pass = null;
answer({ url: app.url, key });
for await (const line of createInterface({ input: process.stdin })) {
  const { cmd, rows } = JSON.parse(line);
  if (cmd === 'fill') {
    const started = performance.now();
    const receivedAt = new Date(Date.now() - 2 * 86_400_000);
    for (let done = 0; done < rows; done += 1000) {
      await store.events.append(Array.from({ length: Math.min(1000, rows - done) }, () => {
        const id = randomUUID();
        return { tenantId: pruned.id, webhookId, provider: 'BOOQABLE', type: 'order.updated', providerEventType: 'order.updated',
          resource: { type: 'order', id }, occurredAt: receivedAt, receivedAt, test: false,
          payload: { id, event: 'order.updated', resource_type: 'orders', data: { id, status: 'reserved' } }, dedupKey: 'id:' + id };
      }));
    }
    answer({ ms: performance.now() - started });
  } else if (cmd === 'prune') {
    pass = app.retention.pruneOnce();
    answer({});
  } else if (cmd === 'halt') {
    await app.retention.stop();
    answer(await pass);
  } else if (cmd === 'stop') {
    await app.stop();
    answer({});
    process.exit(0);
  }
}
`;

interface Gateway {
  url: string;
  key: string;
  send(command: Record<string, unknown>): Promise<Record<string, number | boolean>>;
  stop(): Promise<void>;
}

async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookgraph-bench-retention-'));
  const proc: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', CHILD(resolve('dist'))], {
    env: { ...process.env, PORT: '0', HOOKGRAPH_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOOKGRAPH_BOOTSTRAP: '0', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: Array<(answer: Record<string, number | boolean>) => void> = [];
  const exited = new Promise<number | null>((r) => proc.once('exit', r));
  const first = new Promise<{ url: string; key: string }>((resolveFirst, reject) => {
    waiting.push((a) => resolveFirst(a as unknown as { url: string; key: string }));
    void exited.then((code) => reject(new Error(`the bench gateway exited (${code})`)));
  });
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith('BENCH ')) waiting.shift()?.(JSON.parse(line.slice(6)));
  });
  const { url, key } = await first;
  const send = (command: Record<string, unknown>) =>
    new Promise<Record<string, number | boolean>>((r) => {
      waiting.push(r);
      proc.stdin?.write(`${JSON.stringify(command)}\n`);
    });
  return {
    url,
    key,
    send,
    async stop() {
      await send({ cmd: 'stop' });
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function gql<T>(url: string, key: string, query: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

function delivery(): string {
  return JSON.stringify({
    id: randomUUID(),
    created_at: new Date().toISOString(),
    event: 'order.updated',
    resource_type: 'orders',
    data: { id: randomUUID(), status: 'reserved' },
  });
}

export interface Window {
  /** Deliveries acknowledged (2xx) per second over the window. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  non2xx: number;
  errors: number;
}

/** Delivers with `connections` connections for `seconds`, as bench/run.ts's cannon does. */
async function cannon(url: string, connections: number, { seconds }: { seconds: number }): Promise<Window> {
  const run = autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: delivery() }) }],
  });
  const r = (await run) as Awaited<typeof run> & { '2xx': number; duration: number; latency: { max: number } };
  return {
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    seconds: r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export interface RetentionRun {
  backend: 'sqlite' | 'postgres';
  backlog: number;
  seconds: number;
  rounds: Array<{ without: Window; with: Window; pass: Record<string, number | boolean> }>;
  /** Medians over the rounds. */
  without: { rps: number; p99: number };
  with: { rps: number; p99: number };
  ratio: number;
  prunedPerSecond: number;
  /** The pass's share of the time holding the writer (SQLite) or in transactions (PostgreSQL). */
  busyShare: number;
  maxBatchMs: number;
}

async function measure(
  backend: 'sqlite' | 'postgres',
  env: Record<string, string>,
  { rounds, backlog, connections, seconds }: { rounds: number; backlog: number; connections: number; seconds: number },
): Promise<RetentionRun> {
  const g = await startGateway(env);
  try {
    await gql(g.url, g.key, 'mutation { connectSandbox(provider: BOOQABLE) { __typename } }');
    const created = await gql<{ createWebhook: { data: { deliveryUrl: string } } }>(
      g.url,
      g.key,
      'mutation { createWebhook(input: { provider: BOOQABLE, events: ["order.updated"], payloadVersion: "4" }) { ... on CreateWebhookSuccess { data { deliveryUrl } } } }',
    );
    const url = created.createWebhook.data.deliveryUrl;
    const out: RetentionRun['rounds'] = [];
    let left = 0;
    for (let round = 1; round <= rounds; round++) {
      // A window prunes a few tens of thousands of rows: the backlog is topped up before it runs short.
      if (left < backlog / 2) {
        const { ms } = await g.send({ cmd: 'fill', rows: backlog - left });
        log(`   ${backend}: ${backlog - left} expired events appended in ${Math.round(Number(ms))} ms`);
        left = backlog;
        // Unmeasured: JIT, pools, and (SQLite) the backlog's dedup keys merging along the next appends.
        await cannon(url, connections, { seconds: 2 });
      }
      const pruning = async () => {
        await g.send({ cmd: 'prune' });
        const window = await cannon(url, connections, { seconds });
        return { window, pass: await g.send({ cmd: 'halt' }) };
      };
      const quiet = () => cannon(url, connections, { seconds });
      let withPass: Awaited<ReturnType<typeof pruning>>;
      let without: Window;
      // Alternating the order puts each pruning window on both sides of a quiet one.
      if (round % 2 === 1) {
        without = await quiet();
        withPass = await pruning();
      } else {
        withPass = await pruning();
        without = await quiet();
      }
      left -= Number(withPass.pass['rows']);
      out.push({ without, with: withPass.window, pass: withPass.pass });
      const p = withPass.pass;
      log(
        `   ${backend} round ${round}: no pruning ${Math.round(without.rps)}/s p99 ${without.p99} ms | pruning ${Math.round(withPass.window.rps)}/s p99 ${withPass.window.p99} ms, ${p['rows']} rows in ${p['batches']} batches, holding the writer ${Math.round(Number(p['busyMs']))} of ${Math.round(Number(p['ms']))} ms, slowest ${Number(p['maxBatchMs']).toFixed(1)} ms`,
      );
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    return {
      backend,
      backlog,
      seconds,
      rounds: out,
      without: { rps: med(out.map((r) => r.without.rps)), p99: med(out.map((r) => r.without.p99)) },
      with: { rps: med(out.map((r) => r.with.rps)), p99: med(out.map((r) => r.with.p99)) },
      ratio: med(out.map((r) => r.with.rps / r.without.rps)),
      prunedPerSecond: med(out.map((r) => Number(r.pass['rows']) / (Number(r.pass['ms']) / 1000))),
      busyShare: med(out.map((r) => Number(r.pass['busyMs']) / Number(r.pass['ms']))),
      maxBatchMs: Math.max(...out.map((r) => Number(r.pass['maxBatchMs']))),
    };
  } finally {
    await g.stop();
  }
}

/** The retention section: SQLite, and PostgreSQL when `postgres` is reachable. */
export async function retentionBench({
  connections,
  seconds,
  postgres,
  rounds = Number(process.env['BENCH_RETENTION_ROUNDS'] ?? 3),
  backlog = Number(process.env['BENCH_RETENTION_ROWS'] ?? 200_000),
}: {
  connections: number;
  /** Length of each window. */
  seconds: number;
  postgres: string | null;
  rounds?: number;
  backlog?: number;
}): Promise<RetentionRun[]> {
  const options = { rounds, backlog, connections, seconds };
  const runs = [await measure('sqlite', {}, options)];
  if (postgres) {
    const database = await createScratchSchema(postgres);
    try {
      runs.push(await measure('postgres', { DATABASE_URL: database.url }, options));
    } finally {
      await database.drop();
    }
  } else {
    log('   PostgreSQL not reachable: SQLite only');
  }
  return runs;
}

/** The section's rows for bench/run.ts's printed table. */
export function retentionTable(runs: RetentionRun[]): string[] {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  return [
    `\n| ingest beside a retention pass (median of ${runs[0]?.rounds.length ?? 0} windows of ${runs[0]?.seconds ?? 0} s each; another tenant has ${runs[0]?.backlog ?? 0} expired events) | no pruning req/s | p99 ms | pruning req/s | p99 ms | ratio | pruned rows/s | pass busy | slowest batch ms |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.backend} | ${f(r.without.rps)} | ${f(r.without.p99)} | ${f(r.with.rps)} | ${f(r.with.p99)} | ${f(r.ratio, 2)} | ${f(r.prunedPerSecond)} | ${f(r.busyShare * 100)}% | ${f(r.maxBatchMs, 1)} |`,
    ),
  ];
}
