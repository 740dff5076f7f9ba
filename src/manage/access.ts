import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { deriveKey } from '../crypto.js';
import { ACCESS_SCOPES, type AccessScope, coversScopes, intersectFilters, type Viewer } from '../domain/access.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import type { EventFilter } from '../domain/event-filter.js';
import { providerKeys } from '../domain/provider-key.js';
import type { ApiKeyInfo, ApiKeyStore } from '../store/api-keys.js';
import { REVOKED_PAGE } from '../store/api-keys.js';
import type { EventBus } from '../stream/bus.js';

/** Short-lived token lifetimes (createAccessToken's ttlSeconds). */
export const TOKEN_TTL = { defaultSeconds: 900, maxSeconds: 86_400 } as const;
/** Live keys a tenant may hold at once (createApiKey refuses past it: each one is a row every replica may sweep). */
export const MAX_LIVE_KEYS_PER_TENANT = 200;
/** A token longer than this is not one of ours: refused before any parsing. */
const MAX_TOKEN_CHARS = 4_096;
/** Revocations older than this cannot matter to a token (none lives longer) nor to a key (its row says so). */
const REVOKED_MEMORY_MS = (TOKEN_TTL.maxSeconds + 3_600) * 1_000;
/** A revocation written by a process with a clock this far behind ours is still seen by the sweep. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** setTimeout's limit; a later expiry is re-armed when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const ISSUER = 'hookgraph';
const AUDIENCE = 'hookgraph';

/** A token's claims: its parent key (`sub`), tenant, scopes and filter (raw webhook ids). Checked on every use. */
const Claims = z.object({
  sub: z.string().min(1).max(64),
  tid: z.string().min(1).max(64),
  tn: z.string().max(200),
  tca: z.string().datetime(),
  scp: z
    .array(z.enum(ACCESS_SCOPES as [AccessScope, ...AccessScope[]]))
    .min(1)
    .max(ACCESS_SCOPES.length),
  flt: z
    .object({
      providers: z
        .array(z.enum(providerKeys as unknown as [string, ...string[]]))
        .max(100)
        .nullable()
        .optional(),
      types: z.array(z.string().max(200)).max(100).nullable().optional(),
      webhookIds: z.array(z.string().max(64)).max(100).nullable().optional(),
    })
    .nullable(),
  exp: z.number(),
});

/** Why a viewer's access ended while it had something open. */
export type AccessEnd = 'revoked' | 'expired';

export interface AccessOptions {
  apiKeys: ApiKeyStore;
  bus: EventBus;
  /** The gateway's secret key: tokens are signed with a key derived from it, so every replica verifies them. */
  secretKey: Buffer;
  /** How often this replica reads the keys revoked elsewhere (a CLI, a replica whose bus message was lost). @default 2_000 */
  sweepEveryMs?: number;
  now?: () => Date;
}

/**
 * Who may do what: API keys (stored, scoped) and the short-lived tokens minted from them (JWTs, HS256, verified
 * without the database), and the end of both. A revocation reaches every replica twice: at once over the bus, and
 * within `sweepEveryMs` from the database (what a CLI revocation or a lost bus message relies on). Whatever holds
 * a viewer open (a graphql-ws socket, an SSE stream) registers with `watch` and is told when it must end.
 */
export function createAccess({ apiKeys, bus, secretKey, sweepEveryMs = 2_000, now = () => new Date() }: AccessOptions) {
  const signingKey = deriveKey(secretKey, 'hookgraph/access-token/v1', '');
  /** Key id → when it was revoked (ms), for revocations newer than REVOKED_MEMORY_MS. */
  const revoked = new Map<string, number>();
  /** Key id → the ends to call when it is revoked. */
  const watchers = new Map<string, Set<(reason: AccessEnd) => void>>();
  let watermark = new Date(now().getTime() - REVOKED_MEMORY_MS);
  let loaded: Promise<void> | null = null;

  const markRevoked = (keyId: string, at: number) => {
    if (!revoked.has(keyId)) revoked.set(keyId, at);
    const ends = watchers.get(keyId);
    if (ends) for (const end of [...ends]) end('revoked');
  };

  /** Reads the revocations since the watermark (minus the clock skew), page by page. */
  async function sweep(): Promise<void> {
    let since = new Date(watermark.getTime() - CLOCK_SKEW_MS);
    for (let page = 0; page < 100; page++) {
      const rows = await apiKeys.revokedSince(since);
      for (const { id, revokedAt } of rows) {
        markRevoked(id, revokedAt.getTime());
        if (revokedAt > watermark) watermark = revokedAt;
      }
      const last = rows.at(-1)?.revokedAt;
      if (rows.length < REVOKED_PAGE || last === undefined || last <= since) break;
      since = last;
    }
    const forget = now().getTime() - REVOKED_MEMORY_MS;
    for (const [id, at] of revoked) if (at < forget) revoked.delete(id);
  }

  const stopListening = bus.listenAccess(({ keyId }) => markRevoked(keyId, now().getTime()));
  let timer: NodeJS.Timeout | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      // A failed sweep (the database briefly away) is retried at the next tick; the bus still works meanwhile.
      void sweep()
        .catch(() => {})
        .finally(() => timer !== null && schedule());
    }, sweepEveryMs);
    timer.unref();
  };

  function viewerOfKey(tenant: Viewer['tenant'], key: ApiKeyInfo): Viewer {
    return { tenant, keyId: key.id, kind: 'key', scopes: key.scopes, filter: key.filter, expiresAt: key.expiresAt };
  }

  async function verifyToken(token: string): Promise<Viewer | null> {
    if (token.length > MAX_TOKEN_CHARS) return null;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, signingKey, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: now(),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success || revoked.has(claims.data.sub)) return null;
    const { sub, tid, tn, tca, scp, flt, exp } = claims.data;
    return {
      tenant: { id: tid, name: tn, createdAt: new Date(tca) },
      keyId: sub,
      kind: 'token',
      scopes: scp,
      filter: (flt as EventFilter | null) ?? null,
      expiresAt: new Date(exp * 1000),
    };
  }

  return {
    /** Loads the recent revocations and starts the sweep; before it, tokens of keys revoked earlier would pass. */
    start(): Promise<void> {
      loaded ??= sweep().then(schedule);
      return loaded;
    },
    /**
     * The viewer of a credential: an API key (`hg_…`, looked up) or a token (verified with the signing key and the
     * revocations in memory, no database read); null for anything else, revoked or expired.
     */
    async authenticate(credential: string): Promise<Viewer | null> {
      if (credential.startsWith('hg_')) {
        const found = await apiKeys.authenticate(credential);
        return found ? viewerOfKey(found.tenant, found.key) : null;
      }
      return verifyToken(credential);
    },
    /**
     * A token for what `viewer` may do, narrowed: scopes within the viewer's (else FORBIDDEN), the filter
     * intersected with the viewer's, the expiry no later than the viewer's.
     */
    async mintToken(
      viewer: Viewer,
      { scopes, filter, ttlSeconds }: { scopes: readonly AccessScope[]; filter: EventFilter | null; ttlSeconds?: number | null },
    ): Promise<{ token: string; expiresAt: Date }> {
      if (scopes.length === 0) throw new ValidationError('scopes must name at least one scope', 'scopes');
      if (!coversScopes(viewer.scopes, scopes))
        throw new ForbiddenError(
          `a token cannot hold more than its holder: this ${viewer.kind === 'key' ? 'key' : 'token'} holds ${viewer.scopes.join(', ')}`,
        );
      const ttl = ttlSeconds ?? TOKEN_TTL.defaultSeconds;
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > TOKEN_TTL.maxSeconds)
        throw new ValidationError(`ttlSeconds must be between 1 and ${TOKEN_TTL.maxSeconds} (24 hours)`, 'ttlSeconds');
      const at = now();
      let expiresAt = new Date(at.getTime() + ttl * 1000);
      if (viewer.expiresAt !== null && viewer.expiresAt < expiresAt) expiresAt = viewer.expiresAt;
      const exp = Math.floor(expiresAt.getTime() / 1000);
      const token = await new SignJWT({
        tid: viewer.tenant.id,
        tn: viewer.tenant.name,
        tca: viewer.tenant.createdAt.toISOString(),
        scp: [...new Set(scopes)],
        flt: intersectFilters(viewer.filter, filter),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(viewer.keyId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(at.getTime() / 1000))
        .setExpirationTime(exp)
        .sign(signingKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    /** Creates a key of the tenant; past MAX_LIVE_KEYS_PER_TENANT live keys, a ValidationError. */
    async createKey(
      tenantId: string,
      input: { name: string; scopes: readonly AccessScope[]; filter: EventFilter | null; expiresAt: Date | null },
    ): Promise<{ key: string; info: ApiKeyInfo }> {
      const name = input.name.trim();
      if (name.length === 0 || name.length > 100) throw new ValidationError('name must be 1 to 100 characters', 'name');
      if (input.scopes.length === 0) throw new ValidationError('scopes must name at least one scope', 'scopes');
      if (input.expiresAt !== null && input.expiresAt <= now()) throw new ValidationError('expiresAt must be in the future', 'expiresAt');
      if ((await apiKeys.countLive(tenantId)) >= MAX_LIVE_KEYS_PER_TENANT)
        throw new ValidationError(`a tenant holds at most ${MAX_LIVE_KEYS_PER_TENANT} live keys: revoke one first`, 'scopes');
      return apiKeys.create(tenantId, name, { scopes: input.scopes, filter: input.filter, expiresAt: input.expiresAt });
    },
    /** Revokes a key of the tenant and tells every replica; false when the tenant has no such live key. */
    async revokeKey(tenantId: string, keyId: string): Promise<boolean> {
      const done = await apiKeys.revoke(keyId, tenantId);
      if (done) {
        markRevoked(keyId, now().getTime());
        bus.publishAccess({ keyId });
      }
      return done;
    },
    /**
     * Calls `end` once, when the viewer's key is revoked (here or on another replica) or its access expires; returns
     * the unwatch. What holds the viewer open (a socket, a stream) closes itself there.
     */
    watch(viewer: Viewer, end: (reason: AccessEnd) => void): () => void {
      let done = false;
      let expiry: NodeJS.Timeout | null = null;
      const finish = (reason: AccessEnd) => {
        if (done) return;
        unwatch();
        end(reason);
      };
      const unwatch = () => {
        done = true;
        if (expiry) clearTimeout(expiry);
        const ends = watchers.get(viewer.keyId);
        ends?.delete(finish);
        if (ends?.size === 0) watchers.delete(viewer.keyId);
      };
      if (revoked.has(viewer.keyId)) {
        queueMicrotask(() => finish('revoked'));
        return unwatch;
      }
      const ends = watchers.get(viewer.keyId) ?? new Set();
      watchers.set(viewer.keyId, ends);
      ends.add(finish);
      const arm = () => {
        if (viewer.expiresAt === null || done) return;
        const left = viewer.expiresAt.getTime() - now().getTime();
        if (left <= 0) return void queueMicrotask(() => finish('expired'));
        expiry = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
        expiry.unref();
      };
      arm();
      return unwatch;
    },
    /** Open watches (tests and metrics). */
    watching: () => [...watchers.values()].reduce((n, s) => n + s.size, 0),
    close(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      stopListening();
    },
  };
}
export type Access = ReturnType<typeof createAccess>;
