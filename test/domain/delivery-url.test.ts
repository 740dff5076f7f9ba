import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatDeliveryUrl, parseDeliveryPath, taggedDeliveryUrl, webhookIdOfDeliveryUrl } from '../../src/domain/delivery-url.js';

describe('delivery URLs', () => {
  const id = randomUUID();
  const token = 'tok_ABCDEFGHIJKLMNOPQRSTUV';

  it('parse back to the webhook id and token they were formatted from', () => {
    const url = formatDeliveryUrl('https://hooks.example.com', id, token);
    expect(url).toBe(`https://hooks.example.com/hooks/${id}/${token}`);
    expect(parseDeliveryPath(new URL(url).pathname)).toEqual({ webhookId: id, token, tag: null });
    expect(webhookIdOfDeliveryUrl(url)).toBe(id);
  });

  it('are the only shape taken: other paths, short tokens and garbage give null', () => {
    for (const path of [`/hooks/${id}`, `/hooks/${id}/short`, `/hooks/not-a-uuid/${token}`, `/x/hooks/${id}/${token}`, '/graphql'])
      expect(parseDeliveryPath(path)).toBeNull();
    expect(webhookIdOfDeliveryUrl('not a url')).toBeNull();
    expect(webhookIdOfDeliveryUrl(`https://evil.example/${id}/${token}`)).toBeNull();
  });
});

describe('tagged delivery URLs', () => {
  it("carry a connector's tag for one vendor hook, parsed back beside the webhook id and token", () => {
    const url = formatDeliveryUrl('https://gw.example', '0b7e4e1c-3f7a-4c1e-9d55-0d6b1c1e2a3b', 'tok_0123456789abcdef');
    const tagged = taggedDeliveryUrl(url, 'CREATE_INVOICE');
    expect(tagged).toBe(`${url}/CREATE_INVOICE`);
    expect(parseDeliveryPath(new URL(tagged).pathname)).toEqual({
      webhookId: '0b7e4e1c-3f7a-4c1e-9d55-0d6b1c1e2a3b',
      token: 'tok_0123456789abcdef',
      tag: 'CREATE_INVOICE',
    });
    expect(parseDeliveryPath(new URL(url).pathname)?.tag).toBeNull();
    expect(webhookIdOfDeliveryUrl(tagged)).toBe('0b7e4e1c-3f7a-4c1e-9d55-0d6b1c1e2a3b');
    for (const bad of ['', 'a/b', 'x'.repeat(65), 'x?y']) expect(() => taggedDeliveryUrl(url, bad)).toThrow(RangeError);
    expect(parseDeliveryPath(`${new URL(url).pathname}/a/b`)).toBeNull();
  });
});
