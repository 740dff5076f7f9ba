/**
 * `npx tsx bench/health-flush.ts`: what one Webhook.health flush costs the HTTP thread (store/health.ts), on a SQLite
 * file while the event writer thread commits appends back to back (64 concurrent appenders; BENCH_APPENDERS=0 for
 * none), and on PostgreSQL when reachable. A flush writes the counts of 1, 100 or 1,000 webhooks (250 rows an
 * upsert); each size is flushed 20 times, once every 100 ms. Reported: the time from the call to its end (on a SQLite
 * file the upserts run on the writer thread, so that includes its queue of appends; on PostgreSQL a round trip), the
 * time this thread's event loop was busy meanwhile (`busyMsP50`: building and posting the rows, or running the
 * statement where it runs on this thread; with appenders their work is in it too), the longest event-loop delay seen
 * over the 20 flushes, and the appends committed a second meanwhile.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createScratchSchema, servicesAvailable } from '../scripts/services.js';
import { createStore } from '../src/store/store.js';

/** Concurrent appenders keeping the event writer busy (`BENCH_APPENDERS=0`: an idle store). */
const APPENDERS = Number(process.env['BENCH_APPENDERS'] ?? 64);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN;

async function measure(name: string, databaseUrl: string) {
  const store = await createStore({ databaseUrl, secretKey: randomBytes(32), health: { flushMs: 3_600_000 } });
  const { tenant } = await store.tenants.getOrCreate('bench');
  let stop = false;
  let appended = 0;
  const appender = async () => {
    while (!stop) {
      const id = randomUUID();
      await store.events.append([
        {
          tenantId: tenant.id,
          webhookId: randomUUID(),
          provider: 'BOOQABLE',
          type: 'order.updated',
          providerEventType: 'order.updated',
          resource: { type: 'order', id },
          occurredAt: null,
          receivedAt: new Date(),
          test: false,
          payload: { id, data: { status: 'reserved' } },
          dedupKey: `id:${id}`,
        },
      ]);
      appended++;
    }
  };
  const loops = Array.from({ length: APPENDERS }, appender);
  await new Promise((r) => setTimeout(r, 1_000));
  const rows: Record<string, unknown>[] = [];
  for (const webhooks of [1, 100, 1_000]) {
    const hooks = Array.from({ length: webhooks }, () => ({ tenantId: tenant.id, id: randomUUID() }));
    const times: number[] = [];
    const busy: number[] = [];
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const before = appended;
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      for (const w of hooks) {
        store.health.delivered(w, 1, 0);
        store.health.refused(w, 'bad_token');
      }
      const started = performance.now();
      const loop = performance.eventLoopUtilization();
      await store.health.flush();
      times.push(performance.now() - started);
      busy.push(performance.eventLoopUtilization(loop).active);
      await new Promise((r) => setTimeout(r, 100));
    }
    lag.disable();
    const appendsPerSec = ((appended - before) / (performance.now() - t0)) * 1000;
    rows.push({
      name,
      webhooks,
      flushMsP50: Math.round(pct(times, 50) * 100) / 100,
      flushMsMax: Math.round(Math.max(...times) * 100) / 100,
      busyMsP50: Math.round(pct(busy, 50) * 100) / 100,
      loopLagMaxMs: Math.round((lag.max / 1e6) * 10) / 10,
      appendsPerSec: Math.round(appendsPerSec),
    });
  }
  stop = true;
  await Promise.all(loops);
  await store.close();
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'hookgraph-bench-health-'));
const out = await measure('sqlite', `file:${join(dir, 'h.sqlite')}`);
rmSync(dir, { recursive: true, force: true });
const services = await servicesAvailable();
if (services.postgres) {
  const schema = await createScratchSchema(services.postgres);
  out.push(...(await measure('postgres', schema.url)));
  await schema.drop();
}
console.table(out);
process.exit(0);
