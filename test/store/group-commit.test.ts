import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AppendedEvent, NewEvent } from '../../src/domain/event.js';
import type { EventWrites } from '../../src/store/events.js';
import { createGroupCommit } from '../../src/store/group-commit.js';
import { newEvent } from '../utils/events.js';

/** Writes that answer each append when the test says so, storing every event whose type is not 'bad'. */
function heldWrites() {
  const appends: Array<{ events: readonly NewEvent[]; answer(): void }> = [];
  let seq = 0;
  const writes: Pick<EventWrites, 'append' | 'poll'> = {
    append: (events) =>
      new Promise<(AppendedEvent | null)[]>((resolve, reject) => {
        appends.push({
          events,
          answer: () => {
            if (events.some((e) => e.type === 'bad')) return reject(new Error('constraint failed'));
            resolve(events.map((e) => ({ event: { ...e, id: randomUUID(), seq: ++seq, payload: e.payload ?? null }, prevSeq: null })));
          },
        });
      }),
    poll: vi.fn(),
  };
  return { writes, appends };
}

describe('group commit', () => {
  const tenantId = randomUUID();
  const delivery = (n = 1, over: Partial<NewEvent> = {}) => Array.from({ length: n }, () => newEvent(tenantId, over));

  it('keeps one commit in flight and sends the deliveries that arrived meanwhile together in the next', async () => {
    const { writes, appends } = heldWrites();
    const commits = createGroupCommit(writes);
    const first = commits.append(delivery(2));
    await vi.waitFor(() => expect(appends).toHaveLength(1));
    const later = [commits.append(delivery(1)), commits.append(delivery(3)), commits.append(delivery(1))];
    expect(appends).toHaveLength(1);
    appends[0]?.answer();
    expect((await first).map((a) => a?.event.seq)).toEqual([1, 2]);
    await vi.waitFor(() => expect(appends).toHaveLength(2));
    expect(appends[1]?.events).toHaveLength(5);
    appends[1]?.answer();
    // Each caller gets its own events' results, in order.
    expect((await Promise.all(later)).map((r) => r.map((a) => a?.event.seq))).toEqual([[3], [4, 5, 6], [7]]);
  });

  it('fills a commit up to maxBatch rows, and sends a larger delivery whole', async () => {
    const { writes, appends } = heldWrites();
    const commits = createGroupCommit(writes, { maxBatch: 4 });
    const all = [commits.append(delivery(6)), commits.append(delivery(2)), commits.append(delivery(2)), commits.append(delivery(1))];
    for (let i = 0; i < 3; i++) {
      await vi.waitFor(() => expect(appends).toHaveLength(i + 1));
      appends[i]?.answer();
    }
    await Promise.all(all);
    expect(appends.map((a) => a.events.length)).toEqual([6, 4, 1]);
  });

  it('retries each delivery alone when a shared commit fails, so a bad row fails only its own delivery', async () => {
    const { writes, appends } = heldWrites();
    const commits = createGroupCommit(writes);
    const blocker = commits.append(delivery());
    await vi.waitFor(() => expect(appends).toHaveLength(1));
    const good = commits.append(delivery(2));
    const bad = commits.append(delivery(1, { type: 'bad' }));
    appends[0]?.answer();
    await blocker;
    await vi.waitFor(() => expect(appends).toHaveLength(2));
    appends[1]?.answer();
    await vi.waitFor(() => expect(appends).toHaveLength(4));
    for (const a of appends.slice(2)) a.answer();
    expect((await good).every((a) => a !== null)).toBe(true);
    await expect(bad).rejects.toThrow(/constraint failed/);
  });

  it('settles answered commits before queueing a delivery, and reports each shared commit', async () => {
    const { writes, appends } = heldWrites();
    const onCommit = vi.fn();
    const commits = createGroupCommit(writes, { onCommit });
    const first = commits.append(delivery(3));
    expect(writes.poll).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(appends).toHaveLength(1));
    appends[0]?.answer();
    await first;
    expect(onCommit).toHaveBeenCalledWith(3, expect.any(Number));
    // A delivery of no events has nothing to commit.
    expect(await commits.append([])).toEqual([]);
    expect(appends).toHaveLength(1);
  });

  it('settles once every append queued so far is answered', async () => {
    const { writes, appends } = heldWrites();
    const commits = createGroupCommit(writes);
    const results = [commits.append(delivery()), commits.append(delivery())];
    let settled = false;
    const done = commits.settled().then(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(appends).toHaveLength(1));
    expect(settled).toBe(false);
    appends[0]?.answer();
    await done;
    expect((await Promise.all(results)).flat().every((a) => a !== null)).toBe(true);
  });
});
