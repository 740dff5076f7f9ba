import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { DeliveryError } from '../domain/errors.js';
import { type DeliveryInput, decodeDelivery, NormalizerError } from './decode-delivery.js';

// Large bodies yield the CPU to everyone else: on Linux a thread's nice value is its own, so this lowers only the
// decoder, and the HTTP thread and the event commits win any core it competes for (a tenant's 1 MiB batches
// otherwise took a core from the commits of every other tenant). Where it is not allowed, it simply stays as is.
try {
  setPriority(19);
} catch {}

/** The worker side of off-thread.ts: decodes one delivery per message and answers with events or a refusal. */
parentPort?.on('message', ({ id, input }: { id: number; input: DeliveryInput & { raw: Uint8Array } }) => {
  const raw = Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength);
  try {
    parentPort?.postMessage({ id, events: decodeDelivery({ ...input, raw }) });
  } catch (error) {
    if (error instanceof DeliveryError)
      parentPort?.postMessage({
        id,
        refusal: { status: error.status, message: error.message, detail: error instanceof NormalizerError ? error.detail : null },
      });
    else parentPort?.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
  }
});
