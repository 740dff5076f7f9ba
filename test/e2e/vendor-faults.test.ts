import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookIdOfDeliveryUrl } from '../../src/domain/delivery-url.js';
import type { ProviderKey } from '../../src/domain/provider-key.js';
import type { StoredWebhook } from '../../src/domain/webhook.js';
import type { SandboxFault, SandboxVendor } from '../../src/sandbox/types.js';
import {
  CreateWebhookDocument,
  DeleteWebhookDocument,
  SyncWebhooksDocument,
  TriggerSandboxEventDocument,
  UpdateWebhookDocument,
} from '../generated/graphql.js';
import { startTestApp, type TestApp, type TestTenant } from '../utils/app.js';
import { gqlData } from '../utils/graphql.js';

/**
 * Issue 16: webhook management survives ambiguous vendor answers. For every vendor, operation (create, update, delete),
 * fault mode and vendor call the fault hits, the operation runs through GraphQL, then ONE reconciliation
 * (syncWebhooks, repair: false, as the background reconciler runs by default); then the vendor and hookgraph must agree:
 *   ORPHAN        a vendor hook at one of our /hooks/ URLs that no live webhook owns (externalIds)
 *   INCONSISTENT  a live webhook whose externalIds are not all at the vendor, or whose hooks subscribe to other events
 *                 (SuperOffice: or lack their own state events), or a deleted webhook that is not DELETED
 *   LOST          a webhook that should be live (a create answered success, any update) is not, or does not deliver
 * Scenarios that fail today are listed in KNOWN_FAILING (it.fails): the table printed at the end shows them all, with
 * the GraphQL answer, the sync report and, for a failing one, what a second (repair: true) reconciliation leaves.
 * A fault on a later call (the 2nd POST) is armed with SandboxFault.skip.
 */

/** Create with the first two, update to the first and third. RootFi's pick makes two vendor hooks (a multi-step create). */
const EVENTS: Record<ProviderKey, [string, string, string]> = {
  DESKERA: ['CREATE_INVOICE', 'UPDATE_INVOICE', 'CREATE_CONTACT'],
  BOOQABLE: ['invoice.created', 'invoice.finalized', 'customer.created'],
  PAYBOOK: ['credential_create', 'credential_update', 'refresh'],
  ROOTFI: ['INVOICES:CREATE', 'SYNC_COMPLETED', 'CONNECTION_CHANGED'],
  SUPEROFFICE: ['contact.created', 'contact.changed', 'sale.sold'],
};
const PROVIDERS = Object.keys(EVENTS) as ProviderKey[];
type Op = 'create' | 'update' | 'delete';
const OPS: Op[] = ['create', 'update', 'delete'];

const MODES = {
  '429': { status: 429, retryAfter: '0' },
  '500-before': { status: 500 },
  '500-after': { status: 500, afterApply: true },
  'garbage-after': { afterApply: true, rawBody: '<html>garbage' },
  'drop-after': { afterApply: true, drop: true },
  /** Only for rollbacks: every attempt refused (the http client retries a DELETE twice), so the undo never happens. */
  'down-500x3': { status: 500, count: 3 },
} satisfies Record<string, SandboxFault>;
type Mode = keyof typeof MODES;

/**
 * The vendor call a fault hits: the nth request with this method during the operation. With `after`, a rollback: the
 * call `after` names fails first (500 before applying, on every retry), so the connector undoes what it registered, and
 * the fault under test hits that undo.
 */
interface Target {
  method: string;
  nth: number;
  after?: { method: string; nth: number };
}

/**
 * The first write call of each operation (GET reads before it pass through), and the later write calls of the
 * multi-step ones (checked against the sandbox's request log by the probe test below):
 *   Deskera     create POST, POST (one hook per event) · update GET, POST (new event), DELETE (dropped event) · delete DELETE, DELETE
 *   Paybook     update GET, POST (the replacement), DELETE (the replaced hook)
 *   SuperOffice create POST, PATCH (its own state events) · update GET, PATCH
 *   RootFi      create POST, POST (SYNC_COMPLETED has a hook of its own) · update GET, PUT, PUT (the SYNC_COMPLETED hook is
 *               rewritten into the CONNECTION_CHANGED one: pairGroups pairs leftovers) · delete DELETE, DELETE
 *   Booqable    create POST · update PUT · delete DELETE
 */
const CALLS: Record<ProviderKey, Record<Op, Target[]>> = {
  DESKERA: {
    create: [call('POST', 1), call('POST', 2), rollback('POST', 2)],
    update: [call('POST', 1), call('DELETE', 1)],
    delete: [call('DELETE', 1), call('DELETE', 2)],
  },
  BOOQABLE: { create: [call('POST', 1)], update: [call('PUT', 1)], delete: [call('DELETE', 1)] },
  PAYBOOK: { create: [call('POST', 1)], update: [call('POST', 1), call('DELETE', 1)], delete: [call('DELETE', 1)] },
  ROOTFI: {
    create: [call('POST', 1), call('POST', 2), rollback('POST', 2)],
    update: [call('PUT', 1), call('PUT', 2)],
    delete: [call('DELETE', 1), call('DELETE', 2)],
  },
  SUPEROFFICE: {
    create: [call('POST', 1), call('PATCH', 1), rollback('PATCH', 1)],
    update: [call('PATCH', 1)],
    delete: [call('DELETE', 1)],
  },
};
function call(method: string, nth: number): Target {
  return { method, nth };
}
/** The first DELETE, undoing what was registered before the call `method`#`nth` failed. */
function rollback(method: string, nth: number): Target {
  return { method: 'DELETE', nth: 1, after: { method, nth } };
}
const label = ({ method, nth, after }: Target) => `${method}#${nth}${after ? `(rollback of failed ${after.method}#${after.nth})` : ''}`;

interface Scenario {
  name: string;
  provider: ProviderKey;
  op: Op;
  mode: Mode;
  at: Target;
}
const SCENARIOS: Scenario[] = PROVIDERS.flatMap((provider) =>
  OPS.flatMap((op) =>
    CALLS[provider][op].flatMap((at) =>
      (Object.keys(MODES) as Mode[])
        .filter((mode) => mode !== 'down-500x3' || at.after)
        .map((mode) => ({ name: `${provider} ${op} ${mode} @${label(at)}`, provider, op, mode, at })),
    ),
  ),
);

/**
 * The one reconciliation: `repair: false` as the background reconciler runs by default (HOOKGRAPH_RECONCILE_REPAIR
 * off); VENDOR_FAULTS_REPAIR=1 runs the whole table with `repair: true` instead, against KNOWN_FAILING_WITH_REPAIR.
 */
const REPAIR = process.env['VENDOR_FAULTS_REPAIR'] === '1';

/** Failing today (see the printed table for why); the lead removes them as src/manage and the connectors are fixed. */
const KNOWN_FAILING_WITHOUT_REPAIR = new Set<string>([]);
/** A SuperOffice hook adopted without its own state events: nothing in reconciliation sees or repairs that. */
const KNOWN_FAILING_WITH_REPAIR = new Set<string>([]);
const KNOWN_FAILING = REPAIR ? KNOWN_FAILING_WITH_REPAIR : KNOWN_FAILING_WITHOUT_REPAIR;

type Kind = 'consistent' | 'INCONSISTENT' | 'ORPHAN' | 'LOST';
interface Verdict {
  kind: Kind;
  problems: string[];
}
interface Row {
  name: string;
  answer: string;
  sync: string;
  verdict: Verdict;
  /** Only for a failing scenario: the verdict after a second reconciliation with repair: true. */
  afterRepair: Verdict | null;
}

const rawId = (globalId: string) => decodeGlobalID(globalId).id;

describe('vendor faults around webhook management (issue 16): one reconciliation leaves no drift', () => {
  let t: TestApp;
  const rows: Row[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(() => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.name.length));
    const show = (v: Verdict) => (v.kind === 'consistent' ? 'consistent' : `${v.kind}(${v.problems.join('; ')})`);
    const lines = rows.map(
      (r) =>
        `${r.name.padEnd(width)}  ${show(r.verdict)}  [answer ${r.answer}; sync ${r.sync}]${r.afterRepair ? `  → after repair:true sync: ${show(r.afterRepair)}` : ''}`,
    );
    const count = (k: Kind) => rows.filter((r) => r.verdict.kind === k).length;
    const repairedToo = rows.filter((r) => r.afterRepair?.kind === 'consistent').length;
    lines.push(
      `TOTAL ${rows.length}: consistent ${count('consistent')}, INCONSISTENT ${count('INCONSISTENT')}, ORPHAN ${count('ORPHAN')}, LOST ${count('LOST')}` +
        ` (of the failing, consistent after a second, repair:true reconciliation: ${repairedToo})`,
    );
    console.log(`vendor-faults (after the call + one syncWebhooks repair:${REPAIR})\n${lines.join('\n')}`);
  });

  const vendor = (p: ProviderKey): SandboxVendor => {
    const v = t.app.services.sandbox?.vendors[p];
    if (!v) throw new Error('the sandbox is off');
    return v;
  };

  /** Arms each fault for the nth request with its method (SandboxFault.skip lets the earlier ones pass). */
  function armFaults(v: SandboxVendor, armed: Array<{ method: string; nth: number; fault: SandboxFault }>): void {
    for (const a of armed) v.injectFault({ ...a.fault, method: a.method, skip: a.nth - 1 });
  }

  async function create(tenant: TestTenant, provider: ProviderKey, events: string[]) {
    const { createWebhook } = await gqlData(t.url, tenant.key, CreateWebhookDocument, { input: { provider, events, name: 'faulted' } });
    return createWebhook;
  }

  /** Checks (a)–(d) against the vendor's list and hookgraph's rows; triggers a real delivery for each live webhook's events. */
  async function evaluate(tenant: TestTenant, s: Scenario, subject: string | null, createdOk: boolean): Promise<Verdict> {
    const connector = await t.app.services.connections.connector(tenant.id, s.provider);
    const remote = (await connector.listWebhooks()).filter((r) => r.status !== 'DELETED');
    const ours = await t.app.services.store.webhooks.list(tenant.id, { provider: s.provider, includeDeleted: true, limit: 100 });
    const live = ours.filter((w) => w.deletedAt === null);
    const problems: Array<[Kind, string]> = [];
    // (a) every vendor hook at one of our URLs is owned by a live webhook that lists it.
    for (const r of remote) {
      const id = webhookIdOfDeliveryUrl(r.url);
      if (id === null) continue;
      const w = ours.find((x) => x.id === id);
      if (!w) problems.push(['ORPHAN', `hook ${r.externalId} of no webhook`]);
      else if (w.deletedAt !== null)
        problems.push(['ORPHAN', `hook ${r.externalId} [${r.events}] of a deleted webhook (pending ${w.pending})`]);
      else if (!w.externalIds.includes(r.externalId)) problems.push(['ORPHAN', `hook ${r.externalId} [${r.events}] not in externalIds`]);
    }
    // (b) every live webhook's hooks are at the vendor, at its URL, with its events.
    for (const w of live) {
      const hooks = remote.filter((r) => w.externalIds.includes(r.externalId));
      const gone = w.externalIds.filter((x) => !hooks.some((h) => h.externalId === x));
      // Absent from one list, not yet confirmed gone: allowed to stay live (reported missing), unless it should deliver (c).
      const missing = hooks.length === 0 && w.missingCount > 0;
      if (w.externalIds.length === 0) problems.push(['INCONSISTENT', `live (${w.status}, pending ${w.pending}) with no vendor hooks`]);
      if (gone.length > 0 && !missing)
        problems.push(['INCONSISTENT', `${gone.length} of ${w.externalIds.length} externalIds gone at the vendor`]);
      if (hooks.some((h) => webhookIdOfDeliveryUrl(h.url) !== w.id)) problems.push(['INCONSISTENT', 'a hook delivers elsewhere']);
      const events = [...new Set(hooks.flatMap((h) => h.events))].filter((e) => EVENTS[s.provider].includes(e)).sort();
      const said = [...w.events].sort();
      if (hooks.length > 0 && events.join() !== said.join()) problems.push(['INCONSISTENT', `vendor events [${events}] ≠ [${said}]`]);
    }
    // SuperOffice: each hook also subscribes to its own state events (webhook<id>.stopped/.errors), which the connector
    // adds with a PATCH after the create and which RemoteWebhook does not show: read them off the vendor's own list.
    if (s.provider === 'SUPEROFFICE') {
      for (const hook of await superofficeHooks(tenant)) {
        const owner = live.find((w) => w.externalIds.includes(String(hook.WebhookId)));
        const own = [`webhook${hook.WebhookId}.stopped`, `webhook${hook.WebhookId}.errors`];
        if (owner && !own.every((e) => hook.Events.includes(e)))
          problems.push(['INCONSISTENT', `SuperOffice hook ${hook.WebhookId} lacks its own state events`]);
      }
    }
    // (c) what should be live is, and delivers.
    const expected = s.op === 'update' || (s.op === 'create' && createdOk) ? subject : null;
    const mustDeliver: StoredWebhook[] = [...live];
    if (expected !== null && !live.some((w) => w.id === expected)) {
      const row = ours.find((w) => w.id === expected);
      problems.push(['LOST', row ? `the webhook is ${row.status}${row.deletedAt ? ', deleted' : ''}` : 'the webhook row is gone']);
    }
    for (const w of mustDeliver) {
      for (const eventType of w.events) {
        const { triggerSandboxEvent } = await gqlData(t.url, tenant.key, TriggerSandboxEventDocument, { provider: s.provider, eventType });
        const stored =
          triggerSandboxEvent.__typename === 'TriggerSandboxEventSuccess' &&
          triggerSandboxEvent.data.some((d) => d.webhookId === encodeGlobalID('Webhook', w.id) && d.status === 200);
        if (!stored) problems.push(['LOST', `${eventType} not delivered to ${w.id === subject ? 'it' : 'a live webhook'}`]);
      }
    }
    // (d) a deleted webhook is DELETED (its hooks are caught by (a)).
    if (s.op === 'delete' && subject !== null) {
      const row = ours.find((w) => w.id === subject);
      if (row && (row.deletedAt === null || row.status !== 'DELETED'))
        problems.push(['INCONSISTENT', `after delete the webhook is ${row.status}${row.deletedAt ? '' : ', live'}`]);
    }
    const order: Kind[] = ['ORPHAN', 'LOST', 'INCONSISTENT'];
    const kind = order.find((k) => problems.some(([p]) => p === k)) ?? 'consistent';
    return { kind, problems: [...new Set(problems.map(([, why]) => why))] };
  }

  /** The SuperOffice sandbox's raw list for the tenant's account, with the connection's own credentials. */
  async function superofficeHooks(tenant: TestTenant): Promise<Array<{ WebhookId: number; Events: string[] }>> {
    const sandbox = t.app.services.sandbox;
    if (!sandbox) throw new Error('the sandbox is off');
    const base = sandbox.mountUrl('SUPEROFFICE') + vendor('SUPEROFFICE').basePath(await t.sandboxAccount(tenant, 'SUPEROFFICE'));
    const { accessToken } = await t.storedCredentials(tenant, 'SUPEROFFICE');
    const res = await request(`${base}/api/v1/Webhook`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    expect(res.statusCode).toBe(200);
    return (await res.body.json()) as Array<{ WebhookId: number; Events: string[] }>;
  }

  async function sync(tenant: TestTenant, provider: ProviderKey, repair: boolean): Promise<string> {
    const { syncWebhooks } = await gqlData(t.url, tenant.key, SyncWebhooksDocument, { provider, repair });
    if (syncWebhooks.__typename !== 'SyncWebhooksSuccess') return syncWebhooks.__typename;
    const r = syncWebhooks.data[0];
    if (!r) return 'no report';
    const parts = (
      [
        ['adopted', r.adopted.length],
        ['missing', r.missing.length],
        ['deleted', r.deleted.length],
        ['drifted', r.drifted.length],
        ['repaired', r.repaired.length],
        ['failed', r.failed.length],
      ] as const
    ).filter(([, n]) => n > 0);
    return parts.length ? parts.map(([k, n]) => `${k} ${n}`).join(',') : 'clean';
  }

  it('the fault targets are the vendor calls each operation makes (probe without faults)', async () => {
    for (const provider of PROVIDERS) {
      const tenant = await t.tenant();
      await t.connectSandbox(tenant, provider);
      const v = vendor(provider);
      const [e1, e2, e3] = EVENTS[provider];
      const writes = () => v.requests.filter((r) => r.method !== 'GET').map((r) => r.method);
      await v.reset();
      const made = await create(tenant, provider, [e1, e2]);
      if (made.__typename !== 'CreateWebhookSuccess') throw new Error(made.__typename);
      const createCalls = writes();
      v.requests.length = 0;
      await gqlData(t.url, tenant.key, UpdateWebhookDocument, { input: { id: made.data.id, events: [e1, e3] } });
      const updateCalls = writes();
      v.requests.length = 0;
      await gqlData(t.url, tenant.key, DeleteWebhookDocument, { id: made.data.id });
      const deleteCalls = writes();
      for (const [op, calls] of [
        ['create', createCalls],
        ['update', updateCalls],
        ['delete', deleteCalls],
      ] as const) {
        for (const { method, nth } of CALLS[provider][op].filter((c) => !c.after)) {
          expect(calls.filter((m) => m === method).length, `${provider} ${op} makes ${calls.join(',')}`).toBeGreaterThanOrEqual(nth);
        }
      }
    }
  });

  for (const s of SCENARIOS) {
    (KNOWN_FAILING.has(s.name) ? it.fails : it)(s.name, async () => {
      const v = vendor(s.provider);
      // Forgets earlier scenarios' hooks and any fault left unused: each scenario starts from a clean vendor.
      await v.reset();
      const tenant = await t.tenant();
      await t.connectSandbox(tenant, s.provider);
      const [e1, e2, e3] = EVENTS[s.provider];

      let subject: string | null = null;
      if (s.op !== 'create') {
        const made = await create(tenant, s.provider, [e1, e2]);
        if (made.__typename !== 'CreateWebhookSuccess') throw new Error(`setup create: ${made.__typename}`);
        subject = rawId(made.data.id);
      }

      let answer: string;
      let createdOk = false;
      v.requests.length = 0;
      const { method, nth, after } = s.at;
      armFaults(v, [
        // A failure the connector cannot retry away: the http client repeats an idempotent call (PATCH replace) twice.
        ...(after ? [{ ...after, fault: { status: 500, count: after.method === 'POST' ? 1 : 3 } }] : []),
        { method, nth, fault: MODES[s.mode] },
      ]);
      try {
        if (s.op === 'create') {
          const res = await create(tenant, s.provider, [e1, e2]);
          answer = res.__typename;
          if (res.__typename === 'CreateWebhookSuccess') {
            subject = rawId(res.data.id);
            createdOk = true;
          }
        } else if (s.op === 'update') {
          const { updateWebhook } = await gqlData(t.url, tenant.key, UpdateWebhookDocument, {
            input: { id: encodeGlobalID('Webhook', subject as string), events: [e1, e3] },
          });
          answer = updateWebhook.__typename;
        } else {
          const { deleteWebhook } = await gqlData(t.url, tenant.key, DeleteWebhookDocument, {
            id: encodeGlobalID('Webhook', subject as string),
          });
          answer = deleteWebhook.__typename;
        }
      } finally {
        // A fault the operation did not reach must not hit the reconciliation (the check below reports the miss).
        v.clearFaults();
      }
      // The fault hit the call it names (else the scenario would test nothing).
      for (const at of [s.at, ...(s.at.after ? [s.at.after] : [])])
        expect(
          v.requests.filter((r) => r.method === at.method).length,
          `${s.name}: the operation made no ${label(at)}`,
        ).toBeGreaterThanOrEqual(at.nth);

      const report = await sync(tenant, s.provider, REPAIR);
      const verdict = await evaluate(tenant, s, subject, createdOk);
      const row: Row = { name: s.name, answer, sync: report, verdict, afterRepair: null };
      rows.push(row);
      if (verdict.kind !== 'consistent' && !REPAIR) {
        row.sync += ` · then repair:true: ${await sync(tenant, s.provider, true)}`;
        row.afterRepair = await evaluate(tenant, s, subject, createdOk);
      }
      expect(verdict, s.name).toEqual({ kind: 'consistent', problems: [] });
    });
  }

  it(`covers ${SCENARIOS.length} scenarios`, () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(75);
  });
});
