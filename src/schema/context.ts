import type DataLoader from 'dataloader';
import type { Config } from '../config.js';
import type { Viewer } from '../domain/access.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { RemoteWebhook, StoredWebhook } from '../domain/webhook.js';
import type { Access } from '../manage/access.js';
import type { ConnectionManager } from '../manage/connections.js';
import type { SandboxEvents } from '../manage/sandbox-events.js';
import type { WebhookManager } from '../manage/webhooks.js';
import type { EventBus } from '../stream/bus.js';
import type { Connection } from '../domain/connection.js';
import type { Store } from '../store/store.js';
import type { Tenant } from '../domain/tenant.js';
import type { CursorCodec } from './ids.js';

/** Long-lived services shared by every request. */
export interface Services {
  config: Readonly<Config>;
  store: Store;
  bus: EventBus;
  connections: ConnectionManager;
  webhooks: WebhookManager;
  /** The public URL a vendor delivers to for one webhook. */
  deliveryUrl(webhookId: string, token: string): string;
  /** The simulated vendors when HOOKGRAPH_SANDBOX is on. */
  sandbox: SandboxEvents | null;
  /** Keys, tokens and their end (manage/access.ts). */
  access: Access;
  /** Opaque per-tenant event cursors (keyed by the gateway secret key, so every replica agrees). */
  cursors: CursorCodec;
}

/** Per-request loaders (schema/loaders.ts): each vendor is listed at most once per request. */
export interface Loaders {
  webhook: DataLoader<string, StoredWebhook | null>;
  remoteHooks: DataLoader<ProviderKey, Map<string, RemoteWebhook>>;
  connection: DataLoader<ProviderKey, Connection | null>;
}

export interface Context {
  /** Who is calling: its scopes and event filter bound everything below (schema/access.ts). */
  viewer: Viewer;
  /** The viewer's tenant. */
  tenant: Tenant;
  services: Services;
  loaders: Loaders;
}
