import { createCipheriv, createDecipheriv, createHmac, hash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison; unequal lengths return false without throwing. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    // Compare against itself so the time taken does not depend on where lengths differ.
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

export function hmacSha256Base64(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('base64');
}

/** URL-safe random token with `bytes` of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** AES-256-GCM sealing for credentials and webhook secrets at rest: `v1.<iv>.<tag>.<ciphertext>`. */
export interface Sealer {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('HOOKGRAPH_SECRET_KEY must decode to 32 bytes');
  return {
    seal(plaintext, associatedData) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(associatedData));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, associatedData) {
      const [version, iv, tag, ct] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || ct === undefined) throw new Error('unreadable sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * A 32-byte key for one purpose and one scope (a tenant id), derived from the gateway secret key with
 * HKDF-SHA-256: every replica derives the same key, and no two purposes or scopes share one, so the
 * secret that seals credentials is never used as a key for anything else.
 */
export function deriveKey(secretKey: Buffer, purpose: string, scope: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, purpose, scope, 32));
}

/** AES block size: what encryptBlock takes and returns. */
export const BLOCK_BYTES = 16;

/**
 * AES-256 on exactly one block: a keyed pseudorandom permutation of 16-byte values, deterministic by
 * design (the same input gives the same output). ECB is sound here only because there is one block.
 */
export function encryptBlock(key: Buffer, block: Buffer): Buffer {
  return oneBlock(createCipheriv('aes-256-ecb', key, null), block);
}

/** The inverse of encryptBlock. Any 16 bytes decrypt (to noise when forged): check the plaintext's layout. */
export function decryptBlock(key: Buffer, block: Buffer): Buffer {
  return oneBlock(createDecipheriv('aes-256-ecb', key, null), block);
}

function oneBlock(cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>, block: Buffer): Buffer {
  if (block.length !== BLOCK_BYTES) throw new RangeError(`expected one ${BLOCK_BYTES}-byte block, got ${block.length} bytes`);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}
