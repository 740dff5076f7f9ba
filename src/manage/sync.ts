import { parseDeliveryPath, webhookIdOfDeliveryUrl } from '../domain/delivery-url.js';
import { ProviderError } from '../domain/errors.js';
import type { ProviderKey } from '../domain/provider-key.js';
import { type RemoteWebhook, type StoredWebhook, WebhookStatus, type WebhookSpec } from '../domain/webhook.js';
import type { Connector } from '../providers/types.js';
import type { Store } from '../store/store.js';
import type { WebhookPatch } from '../store/webhooks.js';
import type { Finding } from './findings.js';

export interface SyncOptions {
  /** Compute and report; change nothing here or at the vendor. */
  dryRun?: boolean;
  /** Re-register what is gone and update what drifted, at the vendor. */
  repair?: boolean;
}

export interface SyncSettings {
  /**
   * Reconciliations in a row that must miss a webhook's hooks before it is DELETED, where the vendor has no get-one
   * call to confirm the absence. @default 3
   */
  absencesBeforeDelete?: number;
  /** A create younger than this may still be in flight: an unconfirmed (PENDING) webhook is left alone. @default 60_000 */
  pendingGraceMs?: number;
  now?: () => Date;
}

export interface Drift {
  webhook: StoredWebhook;
  /** Every difference found, in hookgraph's words. */
  reasons: string[];
}

export interface SyncReport {
  provider: ProviderKey;
  dryRun: boolean;
  /** Vendor hooks pointing at one of our delivery URLs that our records did not hold (or held as deleted): re-attached. */
  adopted: StoredWebhook[];
  /** Absent from the vendor's list, not yet deleted: absences below the threshold, or the vendor unable to confirm. */
  missing: StoredWebhook[];
  /** Confirmed gone at the vendor (a get-one answered "no such hook", or absent too many times): marked DELETED. */
  deleted: StoredWebhook[];
  /** Webhooks that differ from the vendor, with every reason. */
  drifted: Drift[];
  /** Re-registered or updated at the vendor (repair). */
  repaired: StoredWebhook[];
  /** Repairs or pending vendor calls that failed: the webhook and hookgraph's message. */
  failed: Array<{ webhook: StoredWebhook; error: string }>;
  /** Vendor hooks that point elsewhere: reported, never touched. */
  unmanaged: RemoteWebhook[];
}

/** What reconciliation needs from the webhook manager: the vendor spec of a webhook (its URL, secret, options). */
export interface SyncDeps {
  store: Store;
  specOf(webhook: StoredWebhook, token?: string): Promise<WebhookSpec>;
  /** The delivery URL of a webhook with its current token. */
  deliveryUrlOf(webhook: StoredWebhook): string;
}

/** The worst status among a webhook's vendor hooks; some gone while others live is DEGRADED. */
export function combineStatus(statuses: readonly WebhookStatus[]): WebhookStatus {
  if (statuses.length === 0 || statuses.every((s) => s === WebhookStatus.DELETED)) return WebhookStatus.DELETED;
  if (statuses.includes(WebhookStatus.DELETED)) return WebhookStatus.DEGRADED;
  const order: WebhookStatus[] = [
    WebhookStatus.FAILING,
    WebhookStatus.DEGRADED,
    WebhookStatus.DISABLED,
    WebhookStatus.UNKNOWN,
    WebhookStatus.PENDING,
    WebhookStatus.ACTIVE,
  ];
  const worst = order.find((s) => statuses.includes(s)) ?? WebhookStatus.UNKNOWN;
  // One failing hook among healthy ones: the webhook still delivers part of its events.
  if (worst === WebhookStatus.FAILING && statuses.some((s) => s === WebhookStatus.ACTIVE)) return WebhookStatus.DEGRADED;
  return worst;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** A vendor hook's URL without its connector tag (domain/delivery-url.ts), for comparison with a deliveryUrl. */
function untagged(url: string): string {
  try {
    const parsed = parseDeliveryPath(new URL(url).pathname);
    return parsed?.tag ? url.replace(/\/$/, '').slice(0, -(parsed.tag.length + 1)) : url;
  } catch {
    return url;
  }
}

/** Every difference between what hookgraph registered and what the vendor holds. */
export function driftReasons(w: StoredWebhook, hooks: readonly RemoteWebhook[], expectedUrl: string, signs: boolean): string[] {
  const reasons: string[] = [];
  const missing = w.externalIds.filter((id) => !hooks.some((h) => h.externalId === id)).length;
  if (missing > 0 && hooks.length > 0) reasons.push(`${missing} of ${w.externalIds.length} vendor hooks are gone`);
  const elsewhere = hooks.filter((h) => untagged(h.url) !== expectedUrl).length;
  if (elsewhere > 0)
    reasons.push(`${elsewhere === hooks.length ? 'the vendor delivers' : `${elsewhere} vendor hooks deliver`} to another URL`);
  const remoteEvents = [...new Set(hooks.flatMap((h) => h.events))];
  if (!sameSet(remoteEvents, w.events)) reasons.push('the vendor subscribes to different events');
  if (hooks.some((h) => h.name != null && h.name !== w.name)) reasons.push('the vendor has another name');
  if (w.payloadVersion !== null && hooks.some((h) => h.payloadVersion != null && h.payloadVersion !== w.payloadVersion))
    reasons.push(`the vendor sends another payload version than ${w.payloadVersion}`);
  for (const why of new Set(hooks.map((h) => h.incomplete).filter((x): x is string => Boolean(x))))
    reasons.push(`incomplete at the vendor: ${why}`);
  if (signs && hooks.some((h) => h.hasSecret === false))
    reasons.push('the vendor no longer holds the signing secret (deliveries fail with 401)');
  const status = combineStatus(hooks.map((h) => h.status));
  if (hooks.length > 0 && status !== w.status && w.status !== WebhookStatus.PENDING && w.status !== WebhookStatus.UNKNOWN)
    reasons.push(`status changed from ${w.status} to ${status}`);
  return reasons;
}

/** Rows read per query while gathering a tenant's webhooks for reconciliation. */
const PAGE = 1_000;

/**
 * The rows reconciliation looks at: every live webhook of the provider and every deleted one whose delete is pending
 * (all of them, page by page: a fixed cap would leave the newest webhooks out once a tenant had that many rows,
 * deleted ones included), and the deleted webhooks the vendor's hooks point at by their delivery URL, to re-adopt.
 * Other deleted rows are skipped by reconciliation anyway, so they are never read: their number grows without bound.
 */
async function webhooksToReconcile(
  store: SyncDeps['store'],
  tenantId: string,
  provider: ProviderKey,
  remote: readonly RemoteWebhook[],
): Promise<StoredWebhook[]> {
  const rows: StoredWebhook[] = [];
  for (let after: { createdAt: string; id: string } | null = null; ; ) {
    const page = await store.webhooks.list(tenantId, { provider, pendingDeleted: true, after, limit: PAGE });
    rows.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) break;
    after = { createdAt: last.createdAt.toISOString(), id: last.id };
  }
  const known = new Set(rows.map((w) => w.id));
  const pointedAt = [...new Set(remote.map((r) => webhookIdOfDeliveryUrl(r.url)))].filter(
    (id): id is string => id !== null && !known.has(id),
  );
  for (let i = 0; i < pointedAt.length; i += PAGE) {
    const found = await store.webhooks.getMany(tenantId, pointedAt.slice(i, i + PAGE));
    rows.push(...found.filter((w) => w.provider === provider));
  }
  return rows;
}

/**
 * Reconciles one tenant's webhooks of one provider with the vendor's complete list, never destroying on thin
 * evidence: a webhook absent from one list is only *missing*; it becomes DELETED once a single-item GET confirms the
 * absence (where the vendor has one) or after `absencesBeforeDelete` absences in a row. Every vendor hook that points at
 * one of this gateway's delivery URLs is (re-)adopted by its webhook, whatever the row's state; hooks of a webhook
 * deleted here (`pending: delete`) are deleted at the vendor instead.
 */
export async function reconcile(
  deps: SyncDeps,
  connector: Connector,
  tenantId: string,
  provider: ProviderKey,
  { dryRun = false, repair = false }: SyncOptions,
  { absencesBeforeDelete = 3, pendingGraceMs = 60_000, now = () => new Date() }: SyncSettings,
  signs: boolean,
): Promise<{ report: SyncReport; findings: Finding[] }> {
  const { store } = deps;
  const remote = await connector.listWebhooks();
  const checkedAt = now();
  const ours = await webhooksToReconcile(store, tenantId, provider, remote);
  const report: SyncReport = {
    provider,
    dryRun,
    adopted: [],
    missing: [],
    deleted: [],
    drifted: [],
    repaired: [],
    failed: [],
    unmanaged: [],
  };
  const findings: Finding[] = [];

  // Each vendor hook to its webhook: by the delivery URL it points at (whatever our records say), else by its id.
  const byId = new Map(ours.map((w) => [w.id, w]));
  const byExternalId = new Map(ours.flatMap((w) => w.externalIds.map((id) => [id, w] as const)));
  const hooksOf = new Map<string, RemoteWebhook[]>();
  for (const r of remote) {
    const target = byId.get(webhookIdOfDeliveryUrl(r.url) ?? '') ?? byExternalId.get(r.externalId);
    if (!target) {
      report.unmanaged.push(r);
      continue;
    }
    hooksOf.set(target.id, [...(hooksOf.get(target.id) ?? []), r]);
  }

  /** Writes a change to the webhook's row, or in a dry run only shows what it would be. */
  const write = async (w: StoredWebhook, patch: WebhookPatch): Promise<StoredWebhook> => {
    if (!dryRun) return (await store.webhooks.update(tenantId, w.id, patch)) ?? w;
    const { deleted, ...fields } = patch;
    return { ...w, ...fields, ...(deleted !== undefined && { deletedAt: deleted ? checkedAt : null }) };
  };

  for (const w of ours) {
    let hooks = hooksOf.get(w.id) ?? [];
    // A webhook deleted here whose vendor hooks are still registered: finish its delete.
    if (w.pending === 'delete') {
      if (hooks.length === 0) {
        if (!dryRun) await store.webhooks.update(tenantId, w.id, { pending: null });
        continue;
      }
      if (dryRun) {
        report.drifted.push({ webhook: w, reasons: [`deleted here; ${hooks.length} vendor hooks left to delete`] });
        continue;
      }
      try {
        await connector.deleteWebhook(hooks.map((h) => h.externalId));
        await store.webhooks.update(tenantId, w.id, { pending: null, externalIds: [] });
      } catch (error) {
        report.failed.push({ webhook: w, error: messageOf(error) });
        await store.health.recordVendorFailure(tenantId, w.id, messageOf(error));
      }
      continue;
    }
    if (w.deletedAt !== null && hooks.length === 0) continue;

    if (hooks.length === 0) {
      // Created moments ago, its vendor call maybe still in flight: not yet evidence of anything.
      if (w.pending === 'create' && checkedAt.getTime() - w.createdAt.getTime() < pendingGraceMs) continue;
      // The list may be short (a vendor's paging, a replica's stale cache): ask for each hook by id where we can.
      if (connector.getWebhook && w.externalIds.length > 0 && w.pending !== 'create') {
        const found = (await Promise.all(w.externalIds.map((id) => connector.getWebhook?.(id) ?? null))).filter(
          (h): h is RemoteWebhook => h !== null,
        );
        hooks = found;
      }
    }

    if (hooks.length === 0) {
      const confirmed = Boolean(connector.getWebhook) || w.pending === 'create';
      const absences = w.missingCount + 1;
      if (repair) {
        const repaired = await tryRepair(deps, connector, w, null, dryRun, report);
        if (repaired) findings.push({ kind: 'repaired', webhook: repaired, reasons: ['re-registered at the vendor'] });
        continue;
      }
      if (confirmed || absences >= absencesBeforeDelete) {
        const deleted = await write(w, {
          status: WebhookStatus.DELETED,
          deleted: true,
          missingCount: absences,
          pending: null,
          statusCheckedAt: checkedAt,
        });
        report.deleted.push(deleted);
        findings.push({
          kind: 'deleted',
          webhook: deleted,
          reasons: [
            w.pending === 'create'
              ? 'its create was never applied at the vendor'
              : confirmed
                ? 'the vendor confirms it has none of its hooks'
                : `absent from the vendor's list ${absences} times in a row`,
          ],
        });
      } else {
        const missing = await write(w, { missingCount: absences, statusCheckedAt: checkedAt });
        report.missing.push(missing);
        findings.push({
          kind: 'missing',
          webhook: missing,
          reasons: [`absent from the vendor's list (${absences} of ${absencesBeforeDelete})`],
        });
      }
      continue;
    }

    const expectedUrl = deps.deliveryUrlOf(w);
    const reasons = driftReasons(w, hooks, expectedUrl, signs);
    const externalIds = hooks.map((h) => h.externalId);
    const adopted =
      w.deletedAt !== null ||
      (w.pending === 'create' && w.externalIds.length === 0) ||
      externalIds.some((id) => !w.externalIds.includes(id));
    const lost = w.externalIds.filter((id) => !externalIds.includes(id)).map(() => WebhookStatus.DELETED);
    const status = combineStatus([...hooks.map((h) => h.status), ...lost]);
    // A create or update the vendor may hold only in part: finished now (its spec re-applied), repair or not.
    const owed = w.pending === 'create' || w.pending === 'update';
    let current = await write(w, {
      externalIds,
      status,
      missingCount: 0,
      statusCheckedAt: checkedAt,
      ...(owed && reasons.length === 0 && { pending: null }),
      ...(w.deletedAt !== null && { deleted: false }),
    });
    if (adopted) {
      report.adopted.push(current);
      findings.push({ kind: 'adopted', webhook: current, reasons: [`${hooks.length} vendor hooks point at its delivery URL`] });
    }
    if (reasons.length === 0) continue;
    report.drifted.push({ webhook: current, reasons });
    findings.push({
      kind: status === WebhookStatus.FAILING || status === WebhookStatus.DEGRADED ? 'failing' : 'drifted',
      webhook: current,
      reasons,
    });
    if (repair || owed) {
      const repaired = await tryRepair(deps, connector, current, hooks, dryRun, report);
      if (repaired) {
        current = repaired;
        findings.push({ kind: 'repaired', webhook: repaired, reasons });
      }
    }
  }
  return { report, findings: dryRun ? [] : findings };
}

/** Re-registers (no hooks left) or updates (drifted hooks) a webhook at the vendor; a failure is reported, not thrown. */
async function tryRepair(
  deps: SyncDeps,
  connector: Connector,
  w: StoredWebhook,
  hooks: readonly RemoteWebhook[] | null,
  dryRun: boolean,
  report: SyncReport,
): Promise<StoredWebhook | null> {
  if (dryRun) {
    report.repaired.push(w);
    return null;
  }
  try {
    const spec = await deps.specOf(w);
    const result =
      hooks === null || hooks.length === 0
        ? await connector.createWebhook(spec)
        : await connector.updateWebhook(
            hooks.map((h) => h.externalId),
            spec,
          );
    const repaired = await deps.store.webhooks.update(w.tenantId, w.id, {
      externalIds: result.map((r) => r.externalId),
      status: combineStatus(result.map((r) => r.status)),
      missingCount: 0,
      pending: null,
      deleted: false,
    });
    if (repaired) report.repaired.push(repaired);
    return repaired;
  } catch (error) {
    report.failed.push({ webhook: w, error: messageOf(error) });
    if (!dryRun) await deps.store.health.recordVendorFailure(w.tenantId, w.id, messageOf(error));
    return null;
  }
}

/** hookgraph's own message for a failed vendor call (a ProviderError never holds the vendor's body). */
function messageOf(error: unknown): string {
  if (error instanceof ProviderError) return error.message.slice(0, 300);
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unexpected failure';
}
