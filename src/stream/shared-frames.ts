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
 */
export function createSharedFrames() {
  const prefix = `\u0000hg-frame:${randomBytes(8).toString('hex')}:`;
  // How the token's opening looks inside serialized JSON (the NUL is escaped).
  const quoted = `"${JSON.stringify(prefix).slice(1, -1)}`;
  const byResult = new WeakMap<object, object>();
  const jsonByToken = new Map<string, string>();
  // A token lives as long as its result object: every send expands it in the same synchronous step
  // that serialized it, while graphql-ws still holds the result.
  const forget = new FinalizationRegistry<string>((token) => jsonByToken.delete(token));
  let counter = 0;

  return {
    /** The payload graphql-ws should send for `result`: the same small placeholder for every subscriber. */
    placeholder(result: ExecutionResult): object {
      let p = byResult.get(result);
      if (p) return p;
      const { errors, ...rest } = result;
      // The payload graphql-ws itself would build.
      const json = JSON.stringify({ ...rest, ...(errors && { errors: errors.map((e) => e.toJSON()) }) });
      const token = `${prefix}${++counter}`;
      jsonByToken.set(token, json);
      forget.register(result, token);
      p = { toJSON: () => token };
      byResult.set(result, p);
      return p;
    },
    /** A serialized graphql-ws message with its placeholder token replaced by the payload's JSON. */
    expand(message: string): string {
      const start = message.lastIndexOf(quoted);
      if (start < 0) return message;
      const end = message.indexOf('"', start + quoted.length);
      if (end < 0) return message;
      const token = JSON.parse(message.slice(start, end + 1)) as string;
      const json = jsonByToken.get(token);
      return json === undefined ? message : `${message.slice(0, start)}${json}${message.slice(end + 1)}`;
    },
    /** Tokens alive now (tests). */
    size: () => jsonByToken.size,
  };
}
export type SharedFrames = ReturnType<typeof createSharedFrames>;
