import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { Random } from '../internal/random.ts';

/**
 * What a sealed value is for and whose it is. Both are authenticated with the
 * ciphertext (AES-GCM's associated data), so a blob copied into another
 * user's row, or from the TOTP column into the recovery-codes column, does
 * not open.
 */
export interface SealContext {
  /** A fixed name per kind of secret, such as `'totp-secret'` or `'recovery-codes'`. */
  purpose: string;
  userId: string | number;
}

/** A sealed value opened: `stale` says it was sealed under a fallback key and should be sealed again. */
export interface Opened {
  plaintext: string;
  stale: boolean;
}

/** Encryption at rest for the secrets a server must read back (TOTP secrets, recovery codes). */
export interface SecretBox {
  seal(plaintext: string, context: SealContext): string;
  open(sealed: string, context: SealContext): Opened | null;
}

const VERSION = 'v1';
const INFO = 'gatehouse mfa v1';
const NONCE_BYTES = 12; // GCM's native 96-bit nonce
const TAG_BYTES = 16;
// A TOTP secret seals to ~90 characters and ten recovery codes to ~190; nothing legitimate comes near this.
const MAX_SEALED_LENGTH = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A box keyed from SECRET_KEY: AES-256-GCM under HKDF-SHA256(SECRET_KEY,
 * info `gatehouse mfa v1`), a random 96-bit nonce per seal, and the compact
 * text form `v1.<nonce>.<ciphertext and tag>` (base64url), which fits any
 * text column. Sealing always uses `secretKey`; opening also tries each of
 * `fallbackKeys` (`GATEHOUSE_SECRET_KEY_FALLBACKS`), so SECRET_KEY can be
 * rotated without locking anyone out of their second factor.
 *
 * ```ts
 * const box = createSecretBox({ secretKey, fallbackKeys, random: cryptoRandom });
 * const stored = box.seal(secret, { purpose: 'totp-secret', userId: user.id });
 * box.open(stored, { purpose: 'totp-secret', userId: user.id })?.plaintext // secret
 * ```
 */
export function createSecretBox({
  secretKey,
  fallbackKeys = [],
  random,
}: {
  secretKey: string;
  fallbackKeys?: readonly string[];
  random: Random;
}): SecretBox {
  // Derived once; the keys live only in this closure, never on an object a log could print.
  const keys = [secretKey, ...fallbackKeys].map(deriveKey);
  return Object.freeze({
    seal(plaintext: string, context: SealContext): string {
      const nonce = random.bytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0], nonce);
      cipher.setAAD(associatedData(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed: string, context: SealContext): Opened | null {
      const parts = parse(sealed);
      if (parts === null) return null;
      const aad = associatedData(context);
      for (let i = 0; i < keys.length; i++) {
        const plaintext = decrypt(keys[i], parts.nonce, parts.body, aad);
        if (plaintext !== null) return { plaintext, stale: i > 0 };
      }
      return null;
    },
  });
}

function deriveKey(secretKey: string): Buffer {
  // SECRET_KEY is a string of any length and quality; HKDF turns it into a
  // uniform AES key and, through `info`, one that no other use of
  // SECRET_KEY (session hashes, JWT signatures) ever shares.
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), INFO, 32));
}

function associatedData({ purpose, userId }: SealContext): Buffer {
  // JSON, so no choice of purpose or id can make two different contexts serialise alike.
  return Buffer.from(JSON.stringify([VERSION, purpose, String(userId)]), 'utf8');
}

function parse(sealed: string): { nonce: Buffer; body: Buffer } | null {
  if (typeof sealed !== 'string' || sealed.length > MAX_SEALED_LENGTH) return null;
  const parts = sealed.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  if (!BASE64URL.test(parts[1]) || !BASE64URL.test(parts[2])) return null;
  const nonce = Buffer.from(parts[1], 'base64url');
  const body = Buffer.from(parts[2], 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) return null;
  return { nonce, body };
}

function decrypt(key: Buffer, nonce: Buffer, body: Buffer, aad: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plaintext = Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return plaintext.toString('utf8');
  } catch {
    // A wrong key, a wrong context or a tampered blob: GCM's tag does not verify.
    return null;
  }
}
