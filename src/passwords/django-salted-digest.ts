import { createHash } from 'node:crypto';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword } from './limits.ts';

const HEX_CHARS = { md5: 32, sha1: 40 } as const;

/**
 * Django's `MD5PasswordHasher` and `SHA1PasswordHasher`, verify-only:
 * `md5$<salt>$<hex(md5(utf8(salt + password)))>` and the same with `sha1`.
 * Django's salts are alphanumeric (5 hex characters before Django 1.4); any
 * salt without `$` is accepted. A match always needs updating, at once: one
 * digest is no protection. `md5$$…` and `sha1$$…` (an empty salt) are the
 * unsalted formats of `DjangoUnsaltedDigestHasher`.
 *
 * ```ts
 * const md5 = new DjangoSaltedDigestHasher({ digest: 'md5' });
 * await md5.verify('password', 'md5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb7'); // true
 * md5.mustUpdate('md5$qQKj5HFiFz12tOO6XhewSb$51120888a301da59bb0e9667cd6d4fb7'); // true
 * ```
 */
export class DjangoSaltedDigestHasher implements PasswordHasher {
  readonly algorithm: 'md5' | 'sha1';
  readonly legacy = true;
  readonly #pattern: RegExp;

  constructor(options: { digest: 'md5' | 'sha1' }) {
    this.algorithm = options.digest;
    // The salt is capped so an oversized value is not worth identifying (Django's column holds 128).
    this.#pattern = new RegExp(
      `^${this.algorithm}\\$([^$]{1,100})\\$[0-9a-f]{${HEX_CHARS[this.algorithm]}}$`,
    );
  }

  identifies(encoded: string): boolean {
    return typeof encoded === 'string' && encoded.length <= 256 && this.#pattern.test(encoded);
  }

  hash(_password: string): Promise<string> {
    return Promise.reject(new Error(`Django's ${this.algorithm} hasher is verify-only (PWD-07)`));
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const salt = this.#pattern.exec(encoded)![1];
    const digest = createHash(this.algorithm)
      .update(salt + password, 'utf8')
      .digest('hex');
    return timingSafeEqual(`${this.algorithm}$${salt}$${digest}`, encoded);
  }

  mustUpdate(_encoded: string): boolean {
    return true;
  }
}
