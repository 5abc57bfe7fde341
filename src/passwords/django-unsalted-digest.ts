import { createHash } from 'node:crypto';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword } from './limits.ts';

/** What Django's `identify_hasher` calls `unsalted_md5` (32 bare hex, or `md5$$` + 32 hex) and `unsalted_sha1` (`sha1$$` + 40 hex). */
const FORMATS = {
  md5: /^(?:md5\$\$)?([0-9a-f]{32})$/,
  sha1: /^sha1\$\$([0-9a-f]{40})$/,
} as const;

/**
 * Django's `UnsaltedMD5PasswordHasher` and `UnsaltedSHA1PasswordHasher`,
 * verify-only: the hex digest of the UTF-8 password, as stored by Django
 * before 1.0 — bare (`5f4dcc3b5aa765d61d8327deb882cf99`) or with an empty
 * salt (`md5$$…`) for MD5, `sha1$$…` for SHA-1. Django recognises these by
 * length (32, 37 and 46 characters); only lowercase hex ever matches. A match
 * always needs updating, at once.
 *
 * ```ts
 * const md5 = new DjangoUnsaltedDigestHasher({ digest: 'md5' });
 * await md5.verify('password', '5f4dcc3b5aa765d61d8327deb882cf99'); // true
 * await md5.verify('password', 'md5$$5f4dcc3b5aa765d61d8327deb882cf99'); // true
 * ```
 */
export class DjangoUnsaltedDigestHasher implements PasswordHasher {
  readonly algorithm: 'unsalted_md5' | 'unsalted_sha1';
  readonly legacy = true;
  readonly #digest: 'md5' | 'sha1';

  constructor(options: { digest: 'md5' | 'sha1' }) {
    this.#digest = options.digest;
    this.algorithm = `unsalted_${this.#digest}`;
  }

  identifies(encoded: string): boolean {
    return typeof encoded === 'string' && encoded.length <= 46 && FORMATS[this.#digest].test(encoded);
  }

  hash(_password: string): Promise<string> {
    return Promise.reject(new Error(`Django's ${this.algorithm} hasher is verify-only (PWD-07)`));
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const stored = FORMATS[this.#digest].exec(encoded)![1];
    return timingSafeEqual(createHash(this.#digest).update(password, 'utf8').digest('hex'), stored);
  }

  mustUpdate(_encoded: string): boolean {
    return true;
  }
}
