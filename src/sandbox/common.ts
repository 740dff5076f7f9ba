import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { createMemoryAccountStore } from './memory-store.js';
import type { SandboxDelivery, SandboxFault, SandboxRequest, SandboxVendorOptions } from './types.js';

/** Vendor API bodies are small (one webhook registration); anything larger is refused with 413. */
const MAX_SANDBOX_BODY = 16 * 1024;
/** Requests kept for tests to assert on: the sandbox may stay on, so the record must not grow forever. */
const MAX_RECORDED_REQUESTS = 200;
/** Hooks one sandbox account may hold; the whole state is rewritten on each change, so it stays small. */
export const MAX_HOOKS_PER_ACCOUNT = 200;

/** The body as text, or null when it is over MAX_SANDBOX_BODY (the rest is left unread). */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_SANDBOX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers });
  res.end(text);
}

/** Records requests and applies injected faults; the shared plumbing of every sandbox vendor. */
export function createSandboxRecorder() {
  const requests: SandboxRequest[] = [];
  let faults: Array<Required<Pick<SandboxFault, 'count' | 'skip'>> & SandboxFault> = [];
  /** The fault that answers this request: the first matching one not skipping; each skipping one counts it. */
  function faultFor(method: string) {
    let found: (typeof faults)[number] | undefined;
    for (const f of faults) {
      if (f.method !== undefined && f.method !== method) continue;
      if (f.skip > 0) f.skip -= 1;
      else found ??= f;
    }
    return found;
  }
  return {
    requests,
    injectFault(fault: SandboxFault) {
      faults.push({ ...fault, count: fault.count ?? 1, skip: fault.skip ?? 0 });
    },
    clearFaults() {
      faults = [];
    },
    reset() {
      requests.length = 0;
      faults = [];
    },
    /**
     * Reads and records the request; answers an injected fault when one matches and returns null,
     * else returns the recorded request for the vendor logic.
     */
    async accept(req: IncomingMessage, res: ServerResponse, path: string): Promise<SandboxRequest | null> {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const text = await readBody(req);
      if (text === null) {
        sendJson(res, 413, { error: 'request body too large' }, { connection: 'close' });
        return null;
      }
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const recorded: SandboxRequest = {
        method: req.method ?? 'GET',
        path,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
      const fault = faultFor(recorded.method);
      if (fault) {
        fault.count -= 1;
        if (fault.count <= 0) faults = faults.filter((f) => f !== fault);
        if (fault.afterApply) {
          loseAnswer(res, fault);
          return recorded;
        }
        if (fault.delayMs) await sleep(fault.delayMs);
        if (answerFault(res, fault)) return null;
      }
      return recorded;
    },
  };
}

/** Answers a fault instead of the vendor: its raw body, its status, or no answer (`drop`); false when it has none. */
function answerFault(res: ServerResponse, fault: SandboxFault): boolean {
  if (fault.drop) {
    res.socket?.destroy();
    return true;
  }
  if (fault.rawBody !== undefined) {
    res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
    res.end(fault.rawBody);
    return true;
  }
  if (fault.status !== undefined) {
    sendJson(res, fault.status, { error: 'sandbox fault' }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    return true;
  }
  return false;
}

/**
 * Lets the vendor logic run and write its answer, then loses that answer: what it writes is swallowed and the fault is
 * answered instead (after its delay), so the vendor's state has changed but hookgraph cannot know it from the answer.
 */
function loseAnswer(res: ServerResponse, fault: SandboxFault): void {
  const writeHead = res.writeHead.bind(res);
  const end = res.end.bind(res);
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (() => res) as typeof res.setHeader;
  res.writeHead = (() => res) as typeof res.writeHead;
  res.end = (() => {
    void (async () => {
      if (fault.delayMs) await sleep(fault.delayMs);
      res.writeHead = writeHead;
      res.end = end;
      res.setHeader = setHeader;
      if (!answerFault(res, fault)) sendJson(res, 500, { error: 'sandbox fault' });
    })();
    return res;
  }) as typeof res.end;
}

/** The test controls every sandbox vendor exposes: recorded requests, faults, and a reset of its state. */
export function sandboxControls(recorder: ReturnType<typeof createSandboxRecorder>, clearState: () => Promise<void>) {
  return {
    // The same array for the recorder's whole life: reset empties it in place.
    requests: recorder.requests,
    injectFault: recorder.injectFault,
    clearFaults: recorder.clearFaults,
    reset(): Promise<void> {
      recorder.reset();
      return clearState();
    },
  };
}

/** POSTs one delivery the way a vendor would, reporting the receiver's status (null if unreachable). */
export async function deliver(url: string, body: string, headers: Record<string, string>): Promise<SandboxDelivery> {
  try {
    const res = await request(url, { method: 'POST', body, headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
    await res.body.dump();
    return { url, status: res.statusCode };
  } catch {
    return { url, status: null };
  }
}

export function header(req: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `value[name]` when `value` is an object with that own string property (credentials arrive as `unknown`). */
export function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

/** A standalone vendor's delivery policy (contract tests deliver to their own receivers): any http(s) URL. */
export function anyHttpUrl(raw: string): boolean {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** What every simulated vendor starts from: its options' defaults (see SandboxVendorOptions) and a fresh recorder. */
export function sandboxParts({ store = createMemoryAccountStore(), acceptsDeliveryUrl = anyHttpUrl }: SandboxVendorOptions) {
  return { store, acceptsDeliveryUrl, recorder: createSandboxRecorder() };
}
