/** hash → seq of the rows holding it (an array only when different keys share a hash). */
type Keys = Map<number, number | number[]>;

/**
 * A generation of keys, split by the top 10 bits of the hash: merged a bucket at a time, it goes into
 * event_dedup in hash order without ever being sorted whole (65k keys take ~20 ms, a stall of the writer).
 */
const BUCKETS = 1024;
type Generation = (Keys | undefined)[];
const bucketOf = (hash: number) => Math.min(BUCKETS - 1, Math.floor(hash / 2 ** 43));
const newGeneration = (): Generation => new Array(BUCKETS);

const NONE: readonly number[] = [];
/** The seqs held under one hash, as a list. */
function seqsIn(held: number | number[] | undefined): readonly number[] {
  return held === undefined ? NONE : Array.isArray(held) ? held : [held];
}

function put(gen: Generation, hash: number, seq: number): void {
  const b = bucketOf(hash);
  let keys = gen[b];
  if (!keys) {
    keys = new Map();
    gen[b] = keys;
  }
  const had = keys.get(hash);
  keys.set(hash, had === undefined ? seq : Array.isArray(had) ? [...had, seq] : [had, seq]);
}

/** Takes `seq` out of the keys held under `hash` in `gen`; true when it was there. */
function takeOut(gen: Generation, hash: number, seq: number): boolean {
  const keys = gen[bucketOf(hash)];
  const held = keys?.get(hash);
  if (!keys || held === undefined) return false;
  if (!Array.isArray(held)) {
    if (held !== seq) return false;
    keys.delete(hash);
    return true;
  }
  const left = held.filter((s) => s !== seq);
  if (left.length === held.length) return false;
  keys.set(hash, left.length === 1 ? (left[0] as number) : left);
  return true;
}

/**
 * The SQLite appender's dedup keys not yet in `event_dedup (hash, seq)`, in memory (see appender.ts for why):
 * `active` gathers the keys of committed rows; once it holds `generation` of them it is frozen and merged
 * into event_dedup in hash order, a few buckets with each of the next appends, so each merge step writes a
 * handful of neighbouring pages. Merge steps run inside an append's transaction and only count once it has
 * committed (`advance`).
 */
export function createDedupIndex({ generation }: { generation: number }) {
  let active = newGeneration();
  /** Keys in `active` (a hash may hold several). */
  let activeCount = 0;
  /** Keys being merged into event_dedup, from bucket `next` on; `upto` becomes the mark when all are in. */
  let frozen: { keys: Generation; next: number; upto: number } | null = null;

  return {
    /** Whether a seq held in memory under `hash` is the row `holds` accepts (a hash is only a candidate). */
    find(hash: number, holds: (seq: number) => boolean): boolean {
      const b = bucketOf(hash);
      return seqsIn(active[b]?.get(hash)).some(holds) || seqsIn(frozen?.keys[b]?.get(hash)).some(holds);
    },
    /** A committed row's key. */
    add(hash: number, seq: number): void {
      put(active, hash, seq);
      activeCount++;
    },
    /** A pruned row's key leaves memory. */
    remove(hash: number, seq: number): void {
      if (takeOut(active, hash, seq)) activeCount--;
      else if (frozen) takeOut(frozen.keys, hash, seq);
    },
    /**
     * The merge work that rides along with an append of `rows` rows, in its transaction: whole buckets of
     * frozen keys, until twice what the append adds are in (all of them if memory has grown too far), each
     * through `write`; `finish(upto)` when the last is in. Returns the bucket reached, for `advance`.
     */
    merge(rows: number, write: (hash: number, seq: number) => void, finish: (upto: number) => void): number {
      if (!frozen) return 0;
      const quota = activeCount >= 2 * generation ? Number.POSITIVE_INFINITY : Math.max(64, 2 * rows);
      let b = frozen.next;
      for (let merged = 0; b < BUCKETS && merged < quota; b++) {
        const keys = frozen.keys[b];
        if (!keys) continue;
        for (const h of Float64Array.from(keys.keys()).sort()) {
          for (const seq of seqsIn(keys.get(h))) {
            write(h, seq);
            merged++;
          }
        }
      }
      if (b === BUCKETS) finish(frozen.upto);
      return b;
    },
    /**
     * After the append's commit: the merge reached bucket `reached`; a full generation is frozen, to be
     * merged through `seen`, the log's last seq (every row up to it has its key merged or in memory).
     */
    advance(reached: number, seen: number): void {
      if (frozen) {
        frozen.next = reached;
        if (reached === BUCKETS) frozen = null;
      }
      if (!frozen && activeCount >= generation) {
        frozen = { keys: active, next: 0, upto: seen };
        active = newGeneration();
        activeCount = 0;
      }
    },
  };
}
