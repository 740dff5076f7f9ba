import type { ProviderKey } from '../domain/provider-key.js';
import type { SandboxAccountRecord, SandboxAccountStore } from './types.js';

/** Sandbox accounts in memory: a standalone vendor's store in contract tests. */
export function createMemoryAccountStore(): SandboxAccountStore {
  const records = new Map<string, SandboxAccountRecord>();
  const key = (provider: ProviderKey, id: string) => `${provider}:${id}`;
  const copy = (r: SandboxAccountRecord): SandboxAccountRecord => ({ ...r, secrets: { ...r.secrets } });
  return {
    async insert(record) {
      if (records.has(key(record.provider, record.id))) throw new Error(`sandbox account ${record.id} exists`);
      records.set(key(record.provider, record.id), copy(record));
    },
    async get(provider, id) {
      const r = records.get(key(provider, id));
      return r ? copy(r) : null;
    },
    async update(record, expectedVersion) {
      const current = records.get(key(record.provider, record.id));
      if (current?.version !== expectedVersion) return false;
      records.set(key(record.provider, record.id), copy(record));
      return true;
    },
    async resetState(provider, state) {
      for (const r of records.values()) if (r.provider === provider) r.state = state;
    },
  };
}
