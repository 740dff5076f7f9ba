import { performance } from 'node:perf_hooks';

/** How long streams may run in one turn of the event loop before they wait for the next turns. */
const SLICE_MS = 2;

// A stream that can produce without waiting (a replay read from the log, a burst of live events) is,
// to its reader, a chain of promise callbacks that never returns to the event loop while the
// transport accepts every write at once (loopback, fast clients); fifty of them, each resumed by its
// socket's write callback, would run back to back between two reads of the network. So the time they
// run is counted per turn of the loop, for all streams together: past SLICE_MS, a stream waits in line.
let windowStart = 0;
let windowOpen = false;

function sliceSpent(): boolean {
  const now = performance.now();
  if (!windowOpen) {
    windowOpen = true;
    windowStart = now;
    setImmediate(() => {
      windowOpen = false;
    });
  }
  return now - windowStart >= SLICE_MS;
}

// Streams waiting, in order; one resumes per turn of the loop (the check phase would otherwise run
// every waiter at once), after timers and I/O have had theirs.
const waiting: Array<() => void> = [];
let scheduled = false;

function resumeNext(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeNext);
}

/** Waits for a turn of its own: after the event loop (network, timers) and the streams already waiting. */
export function takeTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Waits for a turn only when the streams have used this turn's slice. */
export async function pace(): Promise<void> {
  if (sliceSpent()) await takeTurn();
}
