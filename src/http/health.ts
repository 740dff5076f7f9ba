import type { ServerResponse } from 'node:http';
import type { Services } from '../schema/context.js';
import { sendJson } from './send-json.js';

/** `/health`: the process answers. */
export function health(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/** `/ready`: the database and the pub/sub bus answer (503 naming the one that does not). */
export function createReadiness({ store, bus }: Pick<Services, 'store' | 'bus'>) {
  return async function ready(res: ServerResponse): Promise<void> {
    const checks: Record<string, string> = {};
    let ok = true;
    for (const [name, check] of [
      ['database', () => store.ping()],
      ['pubsub', () => bus.ping()],
    ] as const) {
      try {
        await check();
        checks[name] = 'ok';
      } catch {
        checks[name] = 'unavailable';
        ok = false;
      }
    }
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', database: store.dialect, pubsub: bus.kind, checks });
  };
}
