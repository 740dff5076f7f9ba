import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatDeliveryUrl, parseDeliveryPath, webhookIdOfDeliveryUrl } from '../../src/domain/delivery-url.js';

describe('delivery URLs', () => {
  const id = randomUUID();
  const token = 'tok_ABCDEFGHIJKLMNOPQRSTUV';

  it('parse back to the webhook id and token they were formatted from', () => {
    const url = formatDeliveryUrl('https://hooks.example.com', id, token);
    expect(url).toBe(`https://hooks.example.com/hooks/${id}/${token}`);
    expect(parseDeliveryPath(new URL(url).pathname)).toEqual({ webhookId: id, token });
    expect(webhookIdOfDeliveryUrl(url)).toBe(id);
  });

  it('are the only shape taken: other paths, short tokens and garbage give null', () => {
    for (const path of [`/hooks/${id}`, `/hooks/${id}/short`, `/hooks/not-a-uuid/${token}`, `/x/hooks/${id}/${token}`, '/graphql'])
      expect(parseDeliveryPath(path)).toBeNull();
    expect(webhookIdOfDeliveryUrl('not a url')).toBeNull();
    expect(webhookIdOfDeliveryUrl(`https://evil.example/${id}/${token}`)).toBeNull();
  });
});
