import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { safeEqual, sha256Hex } from '../crypto.js';
import type { ProviderKey } from '../domain/provider-key.js';
import type { SandboxAccountStore } from './types.js';

/** One account as a vendor's handlers see it: `state` and `secrets` may be changed inside `change`. */
export interface Account<S> {
  readonly id: string;
  state: S;
  /** Secret name → SHA-256 (hex); change them with `setSecret`. */
  secrets: Record<string, string>;
}

/** A new account's credentials, made by the vendor from the account id. */
export interface Minted {
  /** Credential forms handed out (`default`, and e.g. SuperOffice's `ticket`), in plain text, once. */
  forms: Record<string, Record<string, string>>;
  /** Every secret by name, in plain text: only their hashes are kept. */
  secrets: Record<string, string>;
}

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Writes of one account lost to other replicas before giving up (each loss is another write completing). */
const MAX_ATTEMPTS = 50;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * `<prefix><account>.<32 random bytes, base64url>`. The account part only says where to look: the
 * random part is what proves the caller, checked against its hash.
 */
export function mintSecret(prefix: string, account: string): string {
  return `${prefix}${account}.${randomBytes(32).toString('base64url')}`;
}

/** The account a credential of `mintSecret`'s shape names, else null. Proves nothing by itself. */
export function accountNamedBy(prefix: string, credential: string | undefined): string | null {
  if (credential === undefined || !credential.startsWith(prefix)) return null;
  const rest = credential.slice(prefix.length);
  const dot = rest.lastIndexOf('.');
  const account = rest.slice(0, dot);
  return dot > 0 && ACCOUNT_ID.test(account) && SECRET.test(rest.slice(dot + 1)) ? account : null;
}

const hashAll = (secrets: Record<string, string>) => Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, sha256Hex(v)]));

/**
 * The accounts of one sandbox vendor: opened with random credentials (the vendor keeps hashes),
 * authenticated by those, and their state read and changed in the store. Changes to one account are
 * serialized in this process and checked against the stored version, so replicas sharing the
 * database cannot lose each other's writes.
 */
export function createVendorAccounts<S>({
  provider,
  store,
  initialState,
  mint,
}: {
  provider: ProviderKey;
  store: SandboxAccountStore;
  initialState: () => S;
  mint: (account: string) => Minted;
}) {
  /** Named fixture accounts (contract tests): this instance's memory only, with their plain-text credentials. */
  const fixtures = new Map<string, { account: Account<S>; forms: Record<string, Record<string, string>> }>();
  const queues = new Map<string, Promise<unknown>>();

  async function load(id: string): Promise<{ account: Account<S>; version: number } | null> {
    const row = await store.get(provider, id);
    if (!row) return null;
    return { account: { id, state: JSON.parse(row.state) as S, secrets: row.secrets }, version: row.version };
  }

  async function read(id: string): Promise<Account<S> | null> {
    return fixtures.get(id)?.account ?? (await load(id))?.account ?? null;
  }

  /** True when every presented secret is given and matches its hash; each compare in constant time. */
  function proves(account: Account<S>, presented: Record<string, string | undefined>): boolean {
    const entries = Object.entries(presented);
    let ok = entries.length > 0;
    for (const [name, value] of entries) {
      const hash = Object.hasOwn(account.secrets, name) ? account.secrets[name] : undefined;
      const match = hash !== undefined && value !== undefined && safeEqual(sha256Hex(value), hash);
      ok = ok && match;
    }
    return ok;
  }

  /** Runs `fn` after every earlier change of the same account in this process has finished. */
  function serialized<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(id) ?? Promise.resolve()).then(fn);
    const tail = run.then(
      () => {},
      () => {},
    );
    queues.set(id, tail);
    void tail.then(() => {
      if (queues.get(id) === tail) queues.delete(id);
    });
    return run;
  }

  return {
    async open(form = 'default'): Promise<{ account: string; credentials: Record<string, string> }> {
      const id = randomBytes(16).toString('hex');
      const minted = mint(id);
      const credentials = Object.hasOwn(minted.forms, form) ? minted.forms[form] : undefined;
      if (!credentials) throw new Error(`the ${provider} sandbox has no credential form ${form}`);
      await store.insert({ provider, id, secrets: hashAll(minted.secrets), state: JSON.stringify(initialState()), version: 0 });
      return { account: id, credentials: { ...credentials } };
    },

    fixture(name: string, form = 'default'): Record<string, string> {
      if (!ACCOUNT_ID.test(name)) throw new Error(`fixture account names are 1-64 of [A-Za-z0-9_-]: ${name.slice(0, 64)}`);
      let fixture = fixtures.get(name);
      if (!fixture) {
        const minted = mint(name);
        fixture = { account: { id: name, state: initialState(), secrets: hashAll(minted.secrets) }, forms: minted.forms };
        fixtures.set(name, fixture);
      }
      const credentials = Object.hasOwn(fixture.forms, form) ? fixture.forms[form] : undefined;
      if (!credentials) throw new Error(`the ${provider} sandbox has no credential form ${form}`);
      return { ...credentials };
    },

    /** The account `id` when the presented secrets prove it, else null. */
    async authenticate(id: string | null, presented: Record<string, string | undefined>): Promise<string | null> {
      if (id === null || !ACCOUNT_ID.test(id)) return null;
      const account = await read(id);
      return account && proves(account, presented) ? id : null;
    },

    read,

    /**
     * Applies `fn` to the account and saves what it changed. On a concurrent write by another
     * replica, `fn` runs again on the newer state: it is synchronous and has no other effect (a
     * vendor pings or delivers before or after, never inside). Fixture accounts change in place, at
     * once (tests expire a token without awaiting).
     */
    change<T>(id: string, fn: (account: Account<S>) => T): Promise<T> {
      const fixture = fixtures.get(id);
      if (fixture) {
        try {
          return Promise.resolve(fn(fixture.account));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return serialized(id, async () => {
        for (let attempt = 1; ; attempt++) {
          const loaded = await load(id);
          if (!loaded) throw new Error(`sandbox account ${id} does not exist`);
          const { account, version } = loaded;
          const before = JSON.stringify([account.state, account.secrets]);
          const out = fn(account);
          if (JSON.stringify([account.state, account.secrets]) === before) return out;
          const saved = await store.update(
            { provider, id, secrets: account.secrets, state: JSON.stringify(account.state), version: version + 1 },
            version,
          );
          if (saved) return out;
          // Another replica wrote first: redo the change on its version, after a short random pause so
          // the writers spread out. Each loss means another write of this account completed.
          if (attempt === MAX_ATTEMPTS) throw new Error(`sandbox account ${id} kept changing under this write`);
          await sleep(randomInt(1, 10 * Math.min(attempt, 5)));
        }
      });
    },

    /** Replaces one secret (a rotated token); a fixture's plain-text credentials follow. */
    setSecret(account: Account<S>, name: string, value: string): void {
      account.secrets[name] = sha256Hex(value);
      const fixture = fixtures.get(account.id);
      if (fixture?.account !== account) return;
      for (const form of Object.values(fixture.forms)) if (Object.hasOwn(form, name)) form[name] = value;
    },

    async reset(): Promise<void> {
      for (const f of fixtures.values()) f.account.state = initialState();
      await store.resetState(provider, JSON.stringify(initialState()));
    },
  };
}
export type VendorAccounts<S> = ReturnType<typeof createVendorAccounts<S>>;

/**
 * The accounts of a vendor whose only credential is one API key (Booqable, Paybook, RootFi), and the check of a
 * presented key: the account it names, proven by its hash.
 */
export function createApiKeyAccounts<S>({
  provider,
  prefix,
  store,
  initialState,
}: {
  provider: ProviderKey;
  prefix: string;
  store: SandboxAccountStore;
  initialState: () => S;
}) {
  const accounts = createVendorAccounts<S>({
    provider,
    store,
    initialState,
    mint: (account) => {
      const apiKey = mintSecret(prefix, account);
      return { forms: { default: { apiKey } }, secrets: { apiKey } };
    },
  });
  const authenticate = (apiKey: string | undefined) => accounts.authenticate(accountNamedBy(prefix, apiKey), { apiKey });
  return { accounts, authenticate };
}
