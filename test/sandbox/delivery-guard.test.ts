import { describe, expect, it } from 'vitest';
import { createDeliveryGuard } from '../../src/sandbox/delivery-guard.js';

const ID = '0192f3a4-5b6c-7d8e-9f00-112233445566';
const TOKEN = 'tok_ABCDEFGHIJKLMNOPQRSTUVWX';

describe('the sandbox delivery guard', () => {
  let loopback: string | null = null;
  const allows = createDeliveryGuard(() => ['https://Hooks.Example.com/gw/', loopback]);

  it("allows only this gateway's /hooks/<uuid>/<token> URLs, at its public URL and its bound loopback origin", () => {
    expect(allows(`https://hooks.example.com/gw/hooks/${ID}/${TOKEN}`)).toBe(true);
    // Before the gateway listens there is no loopback origin to allow.
    expect(allows(`http://127.0.0.1:4000/hooks/${ID}/${TOKEN}`)).toBe(false);
    loopback = 'http://127.0.0.1:4000';
    expect(allows(`http://127.0.0.1:4000/hooks/${ID}/${TOKEN}`)).toBe(true);
  });

  it('refuses metadata, other ports, other gateways, other paths and URL tricks', () => {
    loopback = 'http://127.0.0.1:4000';
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      `http://169.254.169.254/hooks/${ID}/${TOKEN}`,
      `http://127.0.0.1:4001/hooks/${ID}/${TOKEN}`,
      `http://localhost:4000/hooks/${ID}/${TOKEN}`,
      `https://hooks.example.com/hooks/${ID}/${TOKEN}`,
      `https://hooks.example.com.evil.test/gw/hooks/${ID}/${TOKEN}`,
      `https://hooks.example.com/gwx/hooks/${ID}/${TOKEN}`,
      'http://127.0.0.1:4000/graphql',
      'http://127.0.0.1:4000/sandbox/paybook/v1/webhooks',
      `http://127.0.0.1:4000/hooks/${ID}/${TOKEN}?next=http://169.254.169.254/`,
      `http://127.0.0.1:4000/hooks/${ID}/${TOKEN}#x`,
      `http://user:pw@127.0.0.1:4000/hooks/${ID}/${TOKEN}`,
      `http://127.0.0.1:4000/hooks/${ID}/${TOKEN}/../../graphql`,
      `http://127.0.0.1:4000/hooks/not-a-uuid/${TOKEN}`,
      `ftp://127.0.0.1:4000/hooks/${ID}/${TOKEN}`,
      'not a url',
    ]) {
      expect(allows(url), url).toBe(false);
    }
  });
});
