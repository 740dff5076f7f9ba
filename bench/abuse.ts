/**
 * "Under abuse": how long a well-behaved tenant waits for its deliveries' 200 while another tenant of the same
 * gateway runs the attacks of issue 12 (an alias bomb, a flood of replaying subscriptions, 1 MiB batches), side by
 * side with the same figures without abuse. Loopback only; every loop stops when its window closes.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { Pool } from 'undici';
import WebSocket from 'ws';

export interface AbuseTarget {
  url: string;
  /** The well-behaved tenant's key and one of its Booqable v4 delivery URLs. */
  key: string;
  deliveryUrl: string;
  /** The attacker: its key and one of its own delivery URLs (a Booqable v4 webhook). */
  attackerKey: string;
  attackerDeliveryUrl: string;
}

const now = () => performance.timeOrigin + performance.now();
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function booqableDelivery(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: randomUUID(),
    created_at: new Date().toISOString(),
    event: 'order.updated',
    resource_type: 'orders',
    data: { id: randomUUID(), status: 'reserved', ...extra },
  });
}

/** The well-behaved tenant: `rate` deliveries/s for `seconds`, each acknowledgment's time in ms. */
async function acknowledgments(deliveryUrl: string, rate: number, seconds: number) {
  const url = new URL(deliveryUrl);
  const pool = new Pool(url.origin, { connections: 16 });
  const samples: number[] = [];
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const started = now();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = now();
    inflight.push(
      pool
        .request({ path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body: booqableDelivery() })
        .then(async (r) => {
          await r.body.dump();
          if (r.statusCode === 200) samples.push(now() - t0);
          else failed++;
        })
        .catch(() => void failed++),
    );
  }
  await Promise.all(inflight);
  await pool.close();
  samples.sort((a, b) => a - b);
  return {
    sent: total,
    acknowledged: samples.length,
    failed,
    p50: pct(samples, 50),
    p99: pct(samples, 99),
    max: samples.at(-1) ?? Number.NaN,
  };
}

/** 3,000 aliases of the provider catalogue: ~145 MB of answer before the limits. */
const ALIAS_BOMB = `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: providers { eventTypes { name unifiedType description } }`).join(' ')} }`;

/** The attacker's oldest event cursor: every flooding subscription replays the attacker's whole log from it. */
async function oldestCursor(t: AbuseTarget): Promise<string> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.attackerKey}` },
    body: JSON.stringify({ query: '{ events(first: 1) { edges { cursor } } }' }),
  });
  const body = (await res.json()) as { data: { events: { edges: { cursor: string }[] } } };
  const cursor = body.data.events.edges[0]?.cursor;
  if (!cursor) throw new Error('the attacker has no events to replay');
  return cursor;
}

/** Runs the three attacks until `signal` aborts; counts what each got back. */
async function attack(t: AbuseTarget, after: string, signal: AbortSignal, kinds: ReadonlySet<string>) {
  const counts = { aliasBombs: 0, subscriptionsRequested: 0, batches: 0, statuses: new Map<number, number>() };
  const seen = (status: number) => counts.statuses.set(status, (counts.statuses.get(status) ?? 0) + 1);

  const aliasBomb = async () => {
    while (!signal.aborted) {
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.attackerKey}` },
        body: JSON.stringify({ query: ALIAS_BOMB }),
        signal,
      }).catch(() => null);
      if (!res) continue;
      await res.arrayBuffer().catch(() => {});
      seen(res.status);
      counts.aliasBombs++;
    }
  };

  // 2,000 replaying subscriptions per socket, sockets re-opened as the server closes them.
  const subscriptionFlood = async () => {
    while (!signal.aborted) {
      const client = createClient({
        url: `${t.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${t.attackerKey}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => {},
      });
      const closed = new Promise<void>((resolve) => {
        client.on('closed', () => resolve());
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      for (let i = 0; i < 2000 && !signal.aborted; i++) {
        counts.subscriptionsRequested++;
        client.subscribe(
          { query: `subscription Flood${i}($after: String) { events(after: $after) { id payload } }`, variables: { after } },
          { next: () => {}, error: () => {}, complete: () => {} },
        );
      }
      await closed;
      await Promise.resolve(client.dispose()).catch(() => {});
    }
  };

  // 1 MiB bodies of ~30,000 batch items without ids, to the attacker's own delivery URL.
  const item = JSON.stringify({ event: 'refresh', id_user: 'u', id_credential: 'c', data: { a: 1 } });
  const batch = `{"events":[${Array.from({ length: Math.floor((1024 * 1024 - 20) / (item.length + 1)) }, () => item).join(',')}]}`;
  const batches = async () => {
    const url = new URL(t.attackerDeliveryUrl);
    const pool = new Pool(url.origin, { connections: 2 });
    while (!signal.aborted) {
      const r = await pool
        .request({ path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body: batch, signal })
        .catch(() => null);
      if (!r) continue;
      await r.body.dump().catch(() => {});
      seen(r.statusCode);
      counts.batches++;
    }
    await pool.close();
  };

  const on = (name: string) => kinds.has(name);
  await Promise.all([
    ...(on('alias') ? [aliasBomb(), aliasBomb()] : []),
    ...(on('flood') ? [subscriptionFlood(), subscriptionFlood()] : []),
    ...(on('batch') ? [batches()] : []),
  ]);
  return { ...counts, statuses: Object.fromEntries(counts.statuses) };
}

/** Alternates quiet and abused windows `rounds` times; medians of each window's p50/p99. */
export async function underAbuse(
  t: AbuseTarget,
  { rate = 200, seconds = 5, rounds = 3, kinds = new Set(['alias', 'flood', 'batch']) as ReadonlySet<string> } = {},
) {
  const quiet: Awaited<ReturnType<typeof acknowledgments>>[] = [];
  const abused: (Awaited<ReturnType<typeof acknowledgments>> & { attacks: Awaited<ReturnType<typeof attack>> })[] = [];
  const after = await oldestCursor(t);
  await acknowledgments(t.deliveryUrl, rate, 1); // warm-up
  for (let round = 0; round < rounds; round++) {
    quiet.push(await acknowledgments(t.deliveryUrl, rate, seconds));
    const attacker = startAttacker(t, after, kinds);
    // Let the attacks get going before measuring.
    await new Promise((r) => setTimeout(r, 1000));
    const measured = await acknowledgments(t.deliveryUrl, rate, seconds);
    abused.push({ ...measured, attacks: await attacker.stop() });
  }
  const median = (xs: number[]) =>
    pct(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const summary = (xs: Awaited<ReturnType<typeof acknowledgments>>[]) => ({
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    max: Math.max(...xs.map((x) => x.max)),
    acknowledged: xs.reduce((n, x) => n + x.acknowledged, 0),
    sent: xs.reduce((n, x) => n + x.sent, 0),
  });
  const q = summary(quiet);
  const a = summary(abused);
  return { rate, seconds, rounds, quiet: q, abused: a, p99Ratio: a.p99 / q.p99, attacks: abused.map((x) => x.attacks) };
}

type AttackCounts = Awaited<ReturnType<typeof attack>>;

/**
 * The attacker runs in a process of its own at the lowest CPU priority: a real attacker's clients run on its own
 * machines, so neither the measuring client's event loop nor the gateway should pay for the attacker's client work
 * on this shared 2-core box. What it makes the gateway do is what is measured.
 */
function startAttacker(t: AbuseTarget, after: string, kinds: ReadonlySet<string>) {
  // Counts come back in a file: the attacker's clients may print what they like on stdout and stderr.
  const countsFile = join(mkdtempSync(join(tmpdir(), 'hookgraph-attacker-')), 'counts.json');
  const args = JSON.stringify({ t, after, kinds: [...kinds], countsFile });
  const proc = spawn('nice', ['-n', '19', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--attack', args], {
    stdio: ['ignore', 'ignore', process.env['BENCH_ATTACKER_LOG'] ? 'inherit' : 'ignore'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    async stop(): Promise<AttackCounts> {
      proc.kill('SIGTERM');
      await exited;
      const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as AttackCounts;
      rmSync(dirname(countsFile), { recursive: true, force: true });
      return counts;
    },
  };
}

if (process.argv[2] === '--attack') {
  const { t, after, kinds, countsFile } = JSON.parse(process.argv[3] as string) as {
    t: AbuseTarget;
    after: string;
    kinds: string[];
    countsFile: string;
  };
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  // An attacker does not stop at a refused socket: what its clients throw when the gateway turns them away is ignored.
  process.on('uncaughtException', () => {});
  process.on('unhandledRejection', () => {});
  process.on('exit', (code) => {
    if (!existsSync(countsFile)) writeFileSync(countsFile, JSON.stringify({ exited: code }));
  });
  const counts = await attack(t, after, stop.signal, new Set(kinds)).catch((error: unknown) => ({
    error: error instanceof Error ? error.stack : JSON.stringify(error, Object.getOwnPropertyNames(error)),
  }));
  writeFileSync(countsFile, JSON.stringify(counts));
  process.exit(0);
}
