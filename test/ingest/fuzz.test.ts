import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { leftover } from '../utils/leftovers.js';
import { authHeaders, createHooks, type Hook, PROTOTYPE_NAMES, REAL_NAME, VENDORS, type Vendor, vendorBody } from './vendors.js';

/** Same seed, same deliveries: a failure replays exactly. */
const SEED = 0x12_0c_fa_2e;
const DELIVERIES = 12_000;
const CONCURRENCY = 48;

/** mulberry32: a small seeded PRNG, good enough to spread cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  /** Picks a key of `weights` in proportion to its weight. */
  const weighted = <K extends string>(weights: Record<K, number>): K => {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r < 0) return k;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  };
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, pick, weighted, bytes };
}
type Rng = ReturnType<typeof prng>;

interface Delivery {
  nonce: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Valid URL token and, where the vendor has one, a valid signature or secret header. */
  authentic: boolean;
  /** The most events this delivery could store if accepted. */
  couldStore: number;
  kind: string;
}

const BAD_NAMES = ['invoice\u0000created', 'a"b', '<img src=x>', 'x'.repeat(129), 'ïnvoice.created', 'line\nbreak', '', '{}'];
const SAFE_ODD_NAMES = ['widget.exploded', 'A:B', 'a/b c', 'x', 'CREATE_WIDGET', 'list.category.created'];
const WRONG_TYPES = [
  'text/xml',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'image/png',
  'application/jsonx',
];

/** `json` with `extra` spliced in before its closing brace (the outer object). */
const splice = (json: string, extra: string) => `${json.slice(0, -1)},${extra}}`;

/** A hostile or ordinary delivery body for `vendor`, tagged with `nonce` wherever an accepted body would store it. */
function body(rng: Rng, vendor: Vendor, nonce: string): { kind: string; text: Buffer; type: string; couldStore: number } {
  const json = (value: unknown, couldStore = 1, kind = 'valid') => ({
    kind,
    text: Buffer.from(JSON.stringify(value)),
    type: rng.pick(['application/json', 'application/json; charset=utf-8', '', 'application/vnd.api+json']),
    couldStore,
  });
  const items = vendor === 'PAYBOOK' ? rng.int(0, 4) : 1;
  const valid = (name: string, extra: Record<string, unknown> = {}) => vendorBody(vendor, name, nonce, { items, extra });
  const kind = rng.weighted({
    valid: 24,
    prototypeName: 8,
    oddName: 4,
    badName: 5,
    deep: 8,
    bracketsInStrings: 3,
    hugeBatch: 2,
    hugeArray: 2,
    oversized: 0.3,
    badUtf8: 6,
    wrongContentType: 5,
    form: 5,
    truncated: 6,
    randomBytes: 5,
    wrongShape: 9,
    prototypeKeys: 3,
    empty: 1.5,
  });
  switch (kind) {
    case 'valid':
      return json(valid(REAL_NAME[vendor]), Math.max(items, 1));
    case 'prototypeName':
      return json(valid(rng.pick(PROTOTYPE_NAMES)), Math.max(items, 1), kind);
    case 'oddName':
      return json(valid(rng.pick(SAFE_ODD_NAMES)), Math.max(items, 1), kind);
    case 'badName':
      return json(valid(rng.pick(BAD_NAMES)), Math.max(items, 1), kind);
    case 'deep': {
      const depth = rng.pick([65, 66, 100, 1_000, 5_000, rng.int(65, 20_000)]);
      const open = rng.next() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const nest = `${open.repeat(depth)}1${close.repeat(depth)}`;
      return {
        kind,
        text: Buffer.from(splice(JSON.stringify(valid(REAL_NAME[vendor])), `"deep":${nest}`)),
        type: 'application/json',
        couldStore: 0,
      };
    }
    case 'bracketsInStrings':
      return json(valid(REAL_NAME[vendor], { note: `\\"${'[{'.repeat(rng.int(100, 5_000))}` }), Math.max(items, 1), kind);
    case 'hugeBatch': {
      // Over the events limit (Paybook items or RootFi records); other vendors just get a big body.
      const n = rng.int(1_001, 3_000);
      const value =
        vendor === 'ROOTFI'
          ? {
              rootfi_id: nonce,
              webhook_type: 'DATA_MODEL_CHANGES',
              data_model: 'INVOICES',
              type: 'UPDATE',
              nonce,
              data: Array.from({ length: n }, (_, i) => ({ platform_id: i })),
            }
          : vendorBody(vendor, REAL_NAME[vendor], nonce, { items: n });
      return json(value, vendor === 'PAYBOOK' ? n : 1, kind);
    }
    case 'hugeArray':
      return json(valid(REAL_NAME[vendor], { list: new Array(rng.int(10_000, 150_000)).fill(0) }), Math.max(items, 1), kind);
    case 'oversized':
      return { kind, text: Buffer.alloc(1024 * 1024 + rng.int(1, 4_096), 0x20), type: 'application/json', couldStore: 0 };
    case 'badUtf8': {
      const [head, tail] = JSON.stringify(valid(REAL_NAME[vendor], { note: 'XX' })).split('XX') as [string, string];
      const bad = rng.pick([
        [0xff],
        [0xfe],
        [0xc3, 0x28],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0xf4, 0x90, 0x80, 0x80],
        [0x80],
      ]);
      return {
        kind,
        text: Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]),
        type: 'application/json',
        couldStore: 0,
      };
    }
    case 'wrongContentType':
      return { ...json(valid(REAL_NAME[vendor]), 0, kind), type: rng.pick(WRONG_TYPES) };
    case 'form': {
      const variant = rng.pick(['v1', 'deepKeys', 'manyParams', 'jsonAsForm', 'protoKeys'] as const);
      const v1 = `id=${nonce}&event=customer.created&object=Customer&nonce=${nonce}&data[id]=${nonce}&data[name]=J%C3%B6rg`;
      const text =
        variant === 'v1'
          ? v1
          : variant === 'deepKeys'
            ? `${v1}&${'a'}${'[b]'.repeat(rng.int(11, 400))}=1`
            : variant === 'manyParams'
              ? `${v1}&${Array.from({ length: rng.int(9_000, 11_000) }, (_, i) => `p${i}=1`).join('&')}`
              : variant === 'protoKeys'
                ? `${v1}&__proto__[event]=x&constructor[prototype][x]=1&data[__proto__][id]=2`
                : JSON.stringify(valid(REAL_NAME[vendor]));
      return { kind: `form:${variant}`, text: Buffer.from(text), type: 'application/x-www-form-urlencoded', couldStore: 1 };
    }
    case 'truncated': {
      const whole = JSON.stringify(valid(REAL_NAME[vendor]));
      return { kind, text: Buffer.from(whole.slice(0, rng.int(1, whole.length - 1))), type: 'application/json', couldStore: 0 };
    }
    case 'randomBytes':
      return {
        kind,
        text: rng.bytes(rng.int(1, 2_048)),
        type: rng.pick(['application/json', '', 'application/x-www-form-urlencoded']),
        couldStore: 0,
      };
    case 'wrongShape': {
      const shapes: unknown[] = [
        42,
        null,
        'a string',
        true,
        [],
        [valid(REAL_NAME[vendor])],
        1e308,
        { nonce, events: 5 },
        { nonce, events: [] },
        { nonce, events: [1, 'two', null] },
        { nonce, events: [{ header: 5, nonce }] },
        { nonce, events: [{ header: { event: { name: 7 } }, nonce }] },
        { nonce, events: { length: 100_000 } },
        { nonce, event: 5, data: 7 },
        { nonce, event: ['customer.created'], data: { id: 1 } },
        { nonce, event: 'customer.created', data: 'a string' },
        { nonce, event: 'customer.created', data: [1, 2] },
        { nonce, eventType: { nested: true }, data: 5 },
        { nonce, Event: [1], Entity: 5, PrimaryKey: { a: 1 } },
        { nonce, webhook_type: 12, data: null },
        { nonce, webhook_type: 'DATA_MODEL_CHANGES', data_model: 5, type: [] },
        { nonce, webhook_type: 'DATA_MODEL_CHANGES', data_model: 'INVOICES', type: 'CREATE', data: 'x' },
        { nonce, webhook_type: 'CONNECTION_CHANGED', company_id: { x: 1 } },
        { nonce, Event: 'contact.created', Timestamp: 5, PrimaryKey: null },
        { nonce, created_at: -1e20, timestamp: 'not a date', at: {} },
      ];
      return json(rng.pick(shapes), 1, kind);
    }
    case 'prototypeKeys': {
      const text = splice(
        JSON.stringify(valid(REAL_NAME[vendor])),
        '"__proto__":{"event":"x","polluted":true},"constructor":{"prototype":{"x":1}}',
      );
      return { kind, text: Buffer.from(text), type: 'application/json', couldStore: Math.max(items, 1) };
    }
    default:
      return { kind: 'empty', text: Buffer.alloc(0), type: 'application/json', couldStore: 0 };
  }
}

/** The URL and the headers: a valid or forged token, and a valid, forged or missing second factor. */
function authenticate(rng: Rng, hook: Hook, text: Buffer): { path: string; headers: IncomingHttpHeaders; authentic: boolean } {
  const token = rng.weighted({ valid: 78, wrong: 12, unknownWebhook: 5, malformed: 5 });
  const path =
    token === 'valid'
      ? hook.path
      : token === 'wrong'
        ? `/hooks/${hook.uuid}/${rng.bytes(hook.token.length).toString('base64url').slice(0, hook.token.length)}`
        : token === 'unknownWebhook'
          ? `/hooks/${randomUUID()}/${hook.token}`
          : rng.pick([
              `/hooks/${hook.uuid}/short`,
              // One segment after the token is a connector's tag (domain/delivery-url.ts), which the token authenticates: two are no URL of ours.
              `/hooks/${hook.uuid}/${hook.token}/extra/more`,
              `/hooks/${hook.uuid}/${hook.token}/ex%21tra`,
              `/hooks/${hook.uuid}`,
              `/hooks/${hook.uuid.toUpperCase()}/${hook.token}`,
            ]);
  if (hook.provider === 'DESKERA' || hook.provider === 'BOOQABLE') return { path, headers: {}, authentic: token === 'valid' };
  const valid = authHeaders(hook, text);
  const [name] = Object.keys(valid) as [string];
  const value = valid[name] as string;
  // The secret header does not depend on the body: only a signature can be one of another body.
  const second = rng.weighted({
    valid: 72,
    forged: 8,
    missing: 8,
    repeated: 4,
    empty: 4,
    otherBody: hook.provider === 'SUPEROFFICE' ? 4 : 0,
  });
  const headers: IncomingHttpHeaders =
    second === 'valid'
      ? valid
      : second === 'forged'
        ? { [name]: hook.provider === 'SUPEROFFICE' ? authHeaders({ ...hook, secret: 'not-the-secret' }, text)[name] : `${value}x` }
        : second === 'missing'
          ? {}
          : second === 'repeated'
            ? { [name]: [value, value] }
            : second === 'otherBody'
              ? authHeaders(hook, Buffer.concat([text, Buffer.from(' ')]))
              : { [name]: '' };
  return { path, headers, authentic: token === 'valid' && second === 'valid' };
}

describe('ingest under a generated flood of hostile deliveries', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let hooks: Record<Vendor, Hook>;
  let pool: Pool;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.tenant();
    hooks = await createHooks(t, tenant);
    pool = leftover(new Pool(t.url, { connections: CONCURRENCY }));
  });

  it(`answers ${DELIVERIES.toLocaleString('en')} of them below 500, stays up, and stores only authentic events`, {
    timeout: 180_000,
  }, async () => {
    const rng = prng(SEED);
    const deliveries: Delivery[] = Array.from({ length: DELIVERIES }, (_, i) => {
      const vendor = rng.pick(VENDORS);
      const nonce = `fz${i.toString(36)}q`;
      const b = body(rng, vendor, nonce);
      const auth = authenticate(rng, hooks[vendor], b.text);
      return {
        nonce,
        kind: `${vendor}:${b.kind}`,
        path: auth.path,
        headers: { ...(b.type !== '' && { 'content-type': b.type }), ...auth.headers },
        body: b.text,
        authentic: auth.authentic,
        couldStore: b.couldStore,
      };
    });
    const baseline = (await t.app.services.store.kysely
      .selectFrom('events')
      .select((e) => e.fn.max('seq').as('seq'))
      .executeTakeFirst()) ?? { seq: 0 };

    const answers: Array<{ status: number; stored: number } | { error: string }> = new Array(DELIVERIES);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < DELIVERIES; i = next++) {
        const d = deliveries[i] as Delivery;
        try {
          const res = await pool.request({ path: d.path, method: 'POST', headers: d.headers, body: d.body });
          const text = await res.body.text();
          const stored = res.statusCode === 200 ? ((JSON.parse(text) as { stored: number }).stored ?? 0) : 0;
          answers[i] = { status: res.statusCode, stored };
        } catch (error) {
          answers[i] = { error: `${d.kind}: ${(error as Error).message}` };
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Every delivery got an answer, and none of them a 5xx.
    const errors = answers.filter((a) => 'error' in a);
    expect(errors).toEqual([]);
    const byStatus = new Map<number, string[]>();
    answers.forEach((a, i) => {
      if ('status' in a) byStatus.set(a.status, [...(byStatus.get(a.status) ?? []), (deliveries[i] as Delivery).kind]);
    });
    const fiveHundreds = [...byStatus].filter(([s]) => s >= 500).flatMap(([s, kinds]) => kinds.map((k) => `${s} ${k}`));
    expect(fiveHundreds).toEqual([]);
    // Both sides of every check were exercised: accepted deliveries and each kind of refusal.
    for (const status of [200, 400, 401, 404, 413, 415]) expect(byStatus.get(status)?.length ?? 0).toBeGreaterThan(20);

    // Nothing without a valid token and signature was accepted.
    const acceptedForged = deliveries.filter((d, i) => !d.authentic && (answers[i] as { status: number }).status < 300);
    expect(acceptedForged.map((d) => d.kind)).toEqual([]);

    // Only authentic events are stored: each new event carries the nonce of an authentic delivery, and
    // there are no more of them than the authentic deliveries could produce or reported storing.
    const rows = await t.app.services.store.kysely
      .selectFrom('events')
      .select(['payload', 'type'])
      .where('tenant_id', '=', tenant.id)
      .where('seq', '>', Number(baseline.seq ?? 0))
      .execute();
    const authentic = new Set(deliveries.filter((d) => d.authentic).map((d) => d.nonce));
    const nonceOf = (payload: string) => /fz[0-9a-z]+q/.exec(payload)?.[0] ?? null;
    expect(rows.filter((r) => !authentic.has(nonceOf(String(r.payload)) ?? '')).map((r) => String(r.payload).slice(0, 120))).toEqual([]);
    const couldStore = deliveries.filter((d) => d.authentic).reduce((n, d) => n + d.couldStore, 0);
    const reported = answers.reduce((n, a) => n + ('stored' in a ? a.stored : 0), 0);
    expect(rows.length).toBe(reported);
    expect(rows.length).toBeLessThanOrEqual(couldStore);
    expect(rows.length).toBeGreaterThan(DELIVERIES / 10);
    expect(rows.every((r) => typeof r.type === 'string' && !/function|native code/.test(r.type))).toBe(true);

    // The process is alive and still takes an ordinary delivery.
    expect((await request(`${t.url}/health`)).statusCode).toBe(200);
    const after = JSON.stringify(vendorBody('SUPEROFFICE', 'contact.created', 'after-the-flood'));
    const res = await request(`${t.url}${hooks.SUPEROFFICE.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(hooks.SUPEROFFICE, after) },
      body: after,
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ stored: 1 });
  });
});
