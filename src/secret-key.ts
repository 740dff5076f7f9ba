import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * The AES-256-GCM key for credentials at rest: HOOKGRAPH_SECRET_KEY (32 bytes as base64 or hex) in
 * production; in development a key file generated once under the data directory, mode 0600.
 */
export function resolveSecretKey(secretKey: string | null, dataDir: string): { key: Buffer; source: 'env' | 'file' | 'generated' } {
  if (secretKey !== null) return { key: decodeKey(secretKey, 'HOOKGRAPH_SECRET_KEY'), source: 'env' };
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) return { key: decodeKey(readFileSync(path, 'utf8').trim(), path), source: 'file' };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'generated' };
}

function decodeKey(text: string, origin: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${origin} must hold a 32-byte key (base64 or 64 hex characters)`);
  return key;
}
