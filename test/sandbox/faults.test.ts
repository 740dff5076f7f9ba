import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPaybookSandbox } from '../../src/sandbox/paybook.js';
import { type SandboxServer, startSandboxServer } from '../utils/sandbox-server.js';

describe('sandbox faults: skip reaches a later call of a multi-step operation', () => {
  const sandbox = createPaybookSandbox();
  let server: SandboxServer;
  const key = () => sandbox.credentialsFor('acme')['apiKey'] as string;
  /** The statuses of `n` webhook lists, one after another. */
  async function lists(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const res = await request(`${server.mountUrl}/v1/webhooks`, { headers: { authorization: `api_key api_key=${key()}` } });
      await res.body.dump();
      out.push(res.statusCode);
    }
    return out;
  }

  beforeAll(async () => {
    server = await startSandboxServer(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.reset());

  it('lets `skip` matching requests pass, then answers the fault `count` times', async () => {
    sandbox.injectFault({ method: 'GET', status: 503, skip: 2, count: 2 });
    expect(await lists(5)).toEqual([200, 200, 503, 503, 200]);
  });

  it('counts requests another fault answered, and ignores other methods', async () => {
    sandbox.injectFault({ method: 'GET', status: 429, retryAfter: '0' });
    sandbox.injectFault({ method: 'GET', status: 500, skip: 1 });
    sandbox.injectFault({ method: 'DELETE', status: 502 });
    expect(await lists(3)).toEqual([429, 500, 200]);
  });

  it('clearFaults drops the faults not used up', async () => {
    sandbox.injectFault({ method: 'GET', status: 500, skip: 1 });
    expect(await lists(1)).toEqual([200]);
    sandbox.clearFaults();
    expect(await lists(2)).toEqual([200, 200]);
  });
});
