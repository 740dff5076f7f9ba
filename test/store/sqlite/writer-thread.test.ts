import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../src/domain/event.js';
import { createWriterThread } from '../../../src/store/sqlite/writer-thread.js';
import { newEvent } from '../../utils/events.js';
import { createSqliteFiles } from './sqlite-file.js';

const files = createSqliteFiles();
const threads: Array<ReturnType<typeof createWriterThread>> = [];
afterEach(async () => {
  for (const t of threads.splice(0)) await t.close();
  await files.dispose();
});

describe('the SQLite writer thread', () => {
  it('leaves no pending entry behind when an append cannot be sent, cannot be serialized or fails in the thread', async () => {
    const db = await files.open();
    const threaded = createWriterThread(db.url);
    threads.push(threaded);
    const tenantId = randomUUID();
    // A function where the type goes, as a catalogue lookup keyed by `constructor` once produced:
    // structured clone refuses it (DataCloneError) and each such delivery used to leak its entry.
    const unclonable = newEvent(tenantId, { webhookId: randomUUID(), type: Object as unknown as string });
    for (let i = 0; i < 200; i++) await expect(threaded.append([unclonable])).rejects.toThrow(/could not be cloned/);
    expect(threaded.pendingCount()).toBe(0);
    const unserializable = newEvent(tenantId, { webhookId: randomUUID(), payload: { amount: 1n } });
    await expect(threaded.append([unserializable])).rejects.toThrow(/BigInt/);
    expect(threaded.pendingCount()).toBe(0);
    const refused = { ...newEvent(tenantId, { webhookId: randomUUID() }), provider: null } as unknown as NewEvent;
    await expect(threaded.append([refused])).rejects.toThrow(/NOT NULL/);
    expect(threaded.pendingCount()).toBe(0);
    // The thread carries on with good appends, and nothing of the failed ones was stored.
    const [stored] = await threaded.append([newEvent(tenantId, { webhookId: randomUUID() })]);
    expect(stored?.event.seq).toBe(1);
    expect(threaded.pendingCount()).toBe(0);
    expect(db.sqlite.prepare('select count(*) from events').pluck().get()).toBe(1);
  });

  it('settles a committed append on poll, without waiting for an event-loop turn', async () => {
    const db = await files.open();
    const threaded = createWriterThread(db.url);
    threads.push(threaded);
    // The thread has started and answered once.
    await threaded.append([newEvent(randomUUID(), { webhookId: randomUUID() })]);
    let settled = false;
    const appended = threaded.append([newEvent(randomUUID(), { webhookId: randomUUID() })]).then(() => {
      settled = true;
    });
    // This thread never returns to its event loop here, so the port's listener cannot run; only poll can.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 100 && !settled; i++) {
      Atomics.wait(pause, 0, 0, 20);
      threaded.poll();
      for (let j = 0; j < 10; j++) await null;
    }
    expect(settled).toBe(true);
    await appended;
  });
});
