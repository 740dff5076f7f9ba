import { randomBytes } from 'node:crypto';
import type { ExecutionResult } from 'graphql';

/**
 * One serialized graphql-ws `next` payload per execution result, however many subscribers receive it.
 *
 * Shared subscriptions (use-shared-subscriptions.ts) hand the same result object to every subscriber
 * of a document; graphql-ws would still JSON.stringify it once per subscriber. Here `placeholder`
 * (graphql-ws's onNext hook) swaps the payload for a small object that serializes to a token, and
 * `expand` (wrapped around the socket's send) splices the payload's JSON, serialized once, in place
 * of the token. The token holds a per-process random nonce behind a NUL character, so no client id
 * or event data can forge one; a message without a token passes through untouched.
 *
 * One slot is enough: graphql-ws serializes a message and hands it to the socket's send in one
 * synchronous step, so the placeholder being serialized leaves its payload in the slot and the send
 * that follows takes it. Only the latest result's placeholder is kept, for its other subscribers.
 */
export function createSharedFrames() {
  const token = `\u0000hg-frame:${randomBytes(8).toString('hex')}`;
  // How the token looks inside serialized JSON (the NUL is escaped).
  const quoted = JSON.stringify(token);
  let latest: { result: ExecutionResult; placeholder: object } | null = null;
  /** The payload of the placeholder serialized last, until the send that follows takes it. */
  let slot: string | null = null;

  return {
    /** The payload graphql-ws should send for `result`: the same small placeholder for every subscriber. */
    placeholder(result: ExecutionResult): object {
      if (latest?.result === result) return latest.placeholder;
      const { errors, ...rest } = result;
      // The payload graphql-ws itself would build.
      const json = JSON.stringify({ ...rest, ...(errors && { errors: errors.map((e) => e.toJSON()) }) });
      const placeholder = {
        toJSON: () => {
          slot = json;
          return token;
        },
      };
      latest = { result, placeholder };
      return placeholder;
    },
    /** A serialized graphql-ws message with its placeholder token replaced by the payload's JSON. */
    expand(message: string): string {
      const json = slot;
      slot = null;
      if (json === null) return message;
      const start = message.lastIndexOf(quoted);
      return start < 0 ? message : `${message.slice(0, start)}${json}${message.slice(start + quoted.length)}`;
    },
    /** Payloads held now: the latest result's (tests). */
    size: () => (latest ? 1 : 0),
  };
}
export type SharedFrames = ReturnType<typeof createSharedFrames>;
