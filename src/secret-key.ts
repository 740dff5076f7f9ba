import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, isSecretKeyText } from './config.js';

export interface SecretKey {
  key: Buffer;
  source: 'env' | 'file' | 'generated';
  /** Where the key came from, in words, for messages: `HOOKGRAPH_SECRET_KEY` or `the key file <path>`. */
  origin: string;
}

/**
 * The AES-256-GCM key for credentials at rest: HOOKGRAPH_SECRET_KEY (32 bytes as base64 or hex) in
 * production; in development a key file generated once under the data directory, mode 0600.
 */
export function resolveSecretKey(secretKey: string | null, dataDir: string): SecretKey {
  if (secretKey !== null) return { key: decodeKey(secretKey, 'HOOKGRAPH_SECRET_KEY'), source: 'env', origin: 'HOOKGRAPH_SECRET_KEY' };
  const path = join(dataDir, 'secret.key');
  const origin = `the key file ${path} (HOOKGRAPH_SECRET_KEY is not set)`;
  try {
    if (existsSync(path)) return { key: decodeKey(readFileSync(path, 'utf8').trim(), `the key file ${path}`), source: 'file', origin };
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return { key, source: 'generated', origin };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([
      `HOOKGRAPH_DATA_DIR ${dataDir} cannot hold the key file (${code}); e.g. HOOKGRAPH_DATA_DIR=/var/lib/hookgraph, or set HOOKGRAPH_SECRET_KEY`,
    ]);
  }
}

function decodeKey(text: string, origin: string): Buffer {
  if (!isSecretKeyText(text)) {
    throw new ConfigError([`${origin} must hold 32 bytes as base64 (44 characters) or hex (64 characters), got ${text.length} characters`]);
  }
  return /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
