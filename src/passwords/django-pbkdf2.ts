import { pbkdf2 } from 'node:crypto';
import { ALNUM, cryptoRandom, type Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { assertPbkdf2Floor } from './floors.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword, passwordBytes } from './limits.ts';

const DIGEST_BYTES = { sha256: 32, sha1: 20 } as const;
/** Django's `must_update_salt`: n characters from 62 carry n·log2(62) bits; 128 are expected. */
const MIN_SALT_CHARS = Math.ceil(128 / Math.log2(62));

export interface DjangoPbkdf2Options {
  /** `sha256` (Django's default `pbkdf2_sha256`) or `sha1` (`pbkdf2_sha1`). */
  digest?: 'sha256' | 'sha1';
  /** For new hashes and the update check; default 1,000,000 (Django 5.2) for SHA-256, 1,300,000 (OWASP floor) for SHA-1. */
  iterations?: number;
  random?: Random;
}

/**
 * Django's `PBKDF2PasswordHasher` / `PBKDF2SHA1PasswordHasher`:
 * `pbkdf2_sha256$<iterations>$<salt>$<base64(PBKDF2-HMAC-SHA256(utf8 password, ascii salt))>`.
 * Verification recomputes the encoding with the stored salt and iterations and
 * compares in constant time, as Django does. A hash with fewer iterations than
 * configured, or a salt under 128 bits (Django before 3.2), must be updated.
 *
 * ```ts
 * const hasher = new DjangoPbkdf2Hasher();
 * await hasher.verify('password', 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVraCZod/JTLBuvHnmqMn+t6/DA6e01WhBoBl/hHKFc='); // true
 * ```
 */
export class DjangoPbkdf2Hasher implements PasswordHasher {
  readonly algorithm: 'pbkdf2_sha256' | 'pbkdf2_sha1';
  readonly iterations: number;
  readonly #digest: 'sha256' | 'sha1';
  readonly #pattern: RegExp;
  readonly #random: Random;

  constructor(options: DjangoPbkdf2Options = {}) {
    this.#digest = options.digest ?? 'sha256';
    this.algorithm = `pbkdf2_${this.#digest}`;
    this.iterations = options.iterations ?? (this.#digest === 'sha256' ? 1_000_000 : 1_300_000);
    assertPbkdf2Floor(this.#digest, this.iterations);
    this.#pattern = new RegExp(`^${this.algorithm}\\$([1-9][0-9]{0,9})\\$([^$]+)\\$([A-Za-z0-9+/]+={0,2})$`);
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    const m = this.#pattern.exec(encoded);
    return m !== null && Number(m[1]) <= 2 ** 31 - 1;
  }

  async hash(password: string): Promise<string> {
    return this.#encode(password, this.#random.string(22, ALNUM), this.iterations);
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const [, iterations, salt] = this.#pattern.exec(encoded)!;
    return timingSafeEqual(await this.#encode(password, salt, Number(iterations)), encoded);
  }

  mustUpdate(encoded: string): boolean {
    const m = this.#pattern.exec(encoded);
    return m === null || Number(m[1]) < this.iterations || m[2].length < MIN_SALT_CHARS;
  }

  async #encode(password: string, salt: string, iterations: number): Promise<string> {
    const digest = this.#digest;
    const key = await new Promise<Buffer>((resolve, reject) =>
      pbkdf2(
        passwordBytes(password),
        Buffer.from(salt, 'utf8'),
        iterations,
        DIGEST_BYTES[digest],
        digest,
        (e, k) => (e ? reject(e) : resolve(k)),
      ),
    );
    return `${this.algorithm}$${iterations}$${salt}$${key.toString('base64')}`;
  }
}
