import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SAFE_EVENT_NAME, type NormalizedEvent } from '../../src/domain/event.js';
import { exceedsJsonDepth } from '../../src/ingest/json-depth.js';
import { decodeBody } from '../../src/ingest/parse-body.js';
import { bodyHash, dedupKeysOf } from '../../src/ingest/route.js';
import { providers } from '../../src/providers/registry.js';

const depthOf = (text: string, max: number) => exceedsJsonDepth(Buffer.from(text), max);

describe('the JSON depth scan', () => {
  it('counts objects and arrays, the outer one as level 1', () => {
    expect(depthOf('{}', 1)).toBe(false);
    expect(depthOf('{"a":[]}', 1)).toBe(true);
    expect(depthOf('{"a":[{"b":1}],"c":[[2]]}', 3)).toBe(false);
    expect(depthOf('{"a":[{"b":1}],"c":[[[2]]]}', 3)).toBe(true);
    expect(depthOf('1', 0)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes and escaped backslashes included', () => {
    expect(depthOf(JSON.stringify({ a: '[[[[{{{{' }), 1)).toBe(false);
    expect(depthOf(JSON.stringify({ a: 'say "[[[["' }), 1)).toBe(false);
    // The string ends at `\\"`: an escaped backslash does not escape the quote after it.
    expect(depthOf(JSON.stringify({ a: 'x\\', b: [[1]] }), 2)).toBe(true);
    expect(depthOf(JSON.stringify({ a: 'x\\"[[[', b: [1] }), 2)).toBe(false);
  });

  it('reads UTF-8 as bytes: multi-byte characters never look like brackets', () => {
    expect(depthOf(JSON.stringify({ a: 'ſ€🚲[', b: ['Ȼ'] }), 2)).toBe(false);
  });

  it('answers an unterminated string or unbalanced closers without throwing (JSON.parse refuses them next)', () => {
    expect(depthOf('{"a":"[[[[', 1)).toBe(false);
    // Closers before their openers only lower the count: such a text is never JSON, and JSON.parse refuses it.
    expect(depthOf(']]]]{[', 1)).toBe(false);
    expect(() => decodeBody('application/json', Buffer.from(`]]]]${'['.repeat(66)}`))).toThrow('body is not valid JSON');
  });
});

describe('delivery body decoding', () => {
  it('refuses a body nested past the limit before parsing it, naming the limit', () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    expect(() => decodeBody('application/json', Buffer.from(deep))).toThrow(/nested deeper than 64 levels/);
    expect(() => decodeBody(undefined, Buffer.from('[[1]]'), { maxJsonDepth: 1 })).toThrow(
      expect.objectContaining({ status: 400, message: 'JSON body is nested deeper than 1 levels' }),
    );
    expect(decodeBody('application/json', Buffer.from('[[1]]'), { maxJsonDepth: 2 }).body).toEqual([[1]]);
  });

  it('refuses invalid UTF-8 in JSON and form bodies, and keeps valid text exactly as sent', () => {
    for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
      const bad = Buffer.concat([Buffer.from(type.endsWith('json') ? '{"a":"' : 'a='), Buffer.from([0xff]), Buffer.from('"}')]);
      expect(() => decodeBody(type, bad)).toThrow(expect.objectContaining({ status: 400, message: 'body is not valid UTF-8' }));
    }
    const text = '{"name":"Zoë 🚲"}';
    expect(decodeBody('application/json', Buffer.from(text))).toEqual({ body: { name: 'Zoë 🚲' }, json: text });
  });

  it('refuses a form body past its parameter count instead of silently dropping the rest', () => {
    const form = Array.from({ length: 10_001 }, (_, i) => `p${i}=1`).join('&');
    expect(() => decodeBody('application/x-www-form-urlencoded', Buffer.from(form))).toThrow(expect.objectContaining({ status: 400 }));
    expect(decodeBody('application/x-www-form-urlencoded', Buffer.from('event=x&data[id]=1')).body).toEqual({
      event: 'x',
      data: { id: '1' },
    });
  });
});

describe('dedup keys', () => {
  const event = (over: Partial<NormalizedEvent> = {}): NormalizedEvent => ({
    type: 'x.created',
    providerEventType: 'x',
    resource: null,
    occurredAt: null,
    test: false,
    payload: {},
    vendorEventId: null,
    dedupKey: null,
    ...over,
  });

  it('hash a delivery body once, however many of its events need it', () => {
    const raw = Buffer.alloc(1024 * 1024, 'a');
    let hashes = 0;
    const keyOf = dedupKeysOf('w1', raw, 30_000, (webhookId, body) => {
      hashes++;
      return bodyHash(webhookId, body);
    });
    const keys = Array.from({ length: 30_000 }, (_, i) => keyOf(event(), i));
    expect(hashes).toBe(1);
    expect(new Set(keys).size).toBe(30_000);
    expect(keys[7]).toMatch(/^body:[0-9a-f]{64}#7$/);
  });

  it('keep the format already stored, so a retry of a delivery stored before is still recognised', () => {
    const raw = Buffer.from('{"event":"x"}');
    const legacy = createHash('sha256')
      .update(Buffer.concat([Buffer.from('w1\n'), raw]))
      .digest('hex');
    expect(dedupKeysOf('w1', raw, 1)(event(), 0)).toBe(`body:${legacy}`);
    expect(dedupKeysOf('w1', raw, 2)(event({ vendorEventId: 'e1' }), 0)).toBe('id:e1');
    expect(dedupKeysOf('w1', raw, 2)(event({ dedupKey: 'k', vendorEventId: 'e1' }), 1)).toBe('key:k');
  });
});

describe('the event name alphabet', () => {
  it('admits every name of the five catalogues and names vendors send outside them', () => {
    const names = providers.flatMap((p) => p.eventTypes.map((e) => e.name));
    expect(names.length).toBeGreaterThan(250);
    const delivered = [
      'credentials.created', // Paybook V3
      'documents.fail',
      'payments.chargeback_created',
      'webhook12.errors', // SuperOffice state, list and ExtraTable events
      'list.category.created',
      'y_rental.changed',
      'connection.changed', // RootFi v4
      'DATA_SYNC_STARTED',
      'order.saved_as_concept', // Booqable
    ];
    for (const name of [...names, ...delivered]) expect(name).toMatch(SAFE_EVENT_NAME);
  });

  it('refuses control characters, markup, quotes, non-ASCII letters and names past 128 characters', () => {
    for (const name of ['', 'a\nb', 'a\u0000b', '<b>', 'a"b', "a'b", 'ïnvoice', 'x'.repeat(129), 'a\\b']) {
      expect(name).not.toMatch(SAFE_EVENT_NAME);
    }
    expect('x'.repeat(128)).toMatch(SAFE_EVENT_NAME);
  });
});
