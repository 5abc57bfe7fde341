import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { ConfigurationError } from '../errors.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword } from './limits.ts';

/** bcrypt's own limit: a C implementation reads at most 72 bytes, and stops at a NUL. */
const BCRYPT_MAX_BYTES = 72;
/** PWD-07: ASVS's floor for bcrypt. */
const BCRYPT_MIN_ROUNDS = 10;

export interface DjangoBcryptOptions {
  /**
   * `true` (the default): `bcrypt_sha256`, Django's `BCryptSHA256PasswordHasher`,
   * which hashes hex(SHA-256(password)) so nothing is truncated. `false`:
   * `bcrypt`, Django's `BCryptPasswordHasher`, over the password itself.
   */
  sha256?: boolean;
  /** The work factor for new hashes and the update check; Django's default is 12, the floor 10. */
  rounds?: number;
  random?: Random;
}

/**
 * Django's bcrypt hashers: `bcrypt_sha256$` or `bcrypt$` followed by the whole
 * modular-crypt string, so the algorithm is followed by two `$`:
 * `bcrypt_sha256$$2b$12$<22-character salt><31-character checksum>`. Older
 * bcrypt libraries (py-bcrypt, pyca/bcrypt before 3.0) wrote `$2a$`; `$2y$`
 * is read too. Every Django version prehashes `bcrypt_sha256` the same way:
 * bcrypt over the 64 ASCII hex digits of SHA-256(UTF-8 password).
 *
 * Plain `bcrypt` reads only the first 72 bytes of a password (Django's hasher
 * inherits that). Here a password over 72 bytes, or with a NUL byte, never
 * matches a plain `bcrypt` hash and is never hashed by it (PWD-03; pyca/bcrypt
 * refuses NUL bytes, and from 5.0 long passwords too).
 *
 * ```ts
 * const hasher = new DjangoBcryptHasher();
 * await hasher.verify('password', 'bcrypt_sha256$$2b$12$ZHLaM6HE1mqAOf1qAJCw.uPEfYXYy6efQ9Yx6r1ycN963fGCKnAzS'); // true
 * ```
 */
export class DjangoBcryptHasher implements PasswordHasher {
  readonly algorithm: 'bcrypt_sha256' | 'bcrypt';
  readonly rounds: number;
  readonly #pattern: RegExp;
  readonly #random: Random;

  constructor(options: DjangoBcryptOptions = {}) {
    this.algorithm = options.sha256 === false ? 'bcrypt' : 'bcrypt_sha256';
    this.rounds = options.rounds ?? 12;
    if (!Number.isInteger(this.rounds) || this.rounds < BCRYPT_MIN_ROUNDS || this.rounds > 31) {
      throw new ConfigurationError(
        `${this.algorithm} rounds must be an integer from ${BCRYPT_MIN_ROUNDS} to 31, got ${this.rounds}`,
      );
    }
    this.#pattern = new RegExp(
      `^${this.algorithm}\\$(\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53})$`,
    );
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    return typeof encoded === 'string' && encoded.length <= 80 && this.#pattern.test(encoded);
  }

  async hash(password: string): Promise<string> {
    const input = this.#input(password);
    if (input === null)
      throw new RangeError(`${this.algorithm} cannot hash this password without truncating it`);
    const salt = `$2b$${String(this.rounds).padStart(2, '0')}$${bcrypt.encodeBase64(this.#random.bytes(16), 16)}`;
    return `${this.algorithm}$${await bcrypt.hash(input, salt)}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const input = this.#input(password);
    const data = this.#pattern.exec(encoded)![1];
    // Django's verify: encode again with the stored salt, compare the whole string in constant time.
    const again = await bcrypt.hash(input ?? '', data.slice(0, 29));
    // A refused password still pays for one bcrypt run, so the refusal is not a timing signal.
    return input !== null && timingSafeEqual(`${this.algorithm}$${again}`, encoded);
  }

  mustUpdate(encoded: string): boolean {
    const m = this.#pattern.exec(encoded);
    return m === null || Number(m[2]) < this.rounds;
  }

  /** What bcrypt is fed, or null for a password it would truncate. */
  #input(password: string): string | null {
    if (!isHashablePassword(password)) return null;
    if (this.algorithm === 'bcrypt_sha256')
      return createHash('sha256').update(password, 'utf8').digest('hex');
    if (password.includes('\u0000') || Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) return null;
    return password;
  }
}
