import { expect, it } from 'vitest';
import type { Connector } from '../../src/providers/types.js';
import type { SandboxVendor } from '../../src/sandbox/types.js';

/**
 * The faults every connector must survive, against its sandbox vendor's fault switch: 429 with
 * Retry-After and a 500 on a list are retried; a 500 on a create is not (the vendor may have applied
 * it); a hung vendor times out; a body that is not JSON is a ProviderError that does not echo it.
 */
export function itSurvivesVendorFaults(
  sandbox: SandboxVendor,
  connector: (timeoutMs?: number) => Connector,
  create: (c: Connector) => Promise<unknown>,
) {
  it('retries 429 (Retry-After) and 500 on a list, but not a 500 on create', async () => {
    sandbox.reset();
    sandbox.injectFault({ status: 429, retryAfter: '0', method: 'GET' });
    sandbox.injectFault({ status: 500, method: 'GET' });
    expect(await connector().listWebhooks()).toEqual([]);
    // The list's first call, tried three times (a connector may list a second collection after it: Paybook V3).
    const gets = sandbox.requests.filter((r) => r.method === 'GET');
    expect(gets.filter((r) => r.path === gets[0]?.path)).toHaveLength(3);
    sandbox.injectFault({ status: 500, method: 'POST' });
    await expect(create(connector())).rejects.toMatchObject({ status: 500 });
    expect(sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('times out a vendor that does not answer, and refuses a body that is not JSON without echoing it', async () => {
    sandbox.reset();
    sandbox.injectFault({ delayMs: 300, count: 3 });
    await expect(connector(50).listWebhooks()).rejects.toThrow(/did not answer within 50 ms/);
    sandbox.reset();
    sandbox.injectFault({ rawBody: '<html>internal-detail</html>', count: 3 });
    const err = (await connector()
      .listWebhooks()
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).not.toContain('internal-detail');
  });
}
