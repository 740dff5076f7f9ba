import { parentPort } from 'node:worker_threads';
import { DeliveryError } from '../domain/errors.js';
import { type DeliveryInput, decodeDelivery, NormalizerError } from './decode-delivery.js';

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
