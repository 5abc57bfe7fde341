import { ALNUM, cryptoRandom, type Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { assertScryptFloors } from './floors.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword } from './limits.ts';
import { scryptKey } from './scrypt.ts';

const DJANGO = /^scrypt\$([0-9]{1,7})\$([^$]+)\$([0-9]{1,2})\$([0-9]{1,2})\$([A-Za-z0-9+/]+={0,2})$/;
/** Django always derives a 64-byte key. */
const DJANGO_KEY_BYTES = 64;
/** Django's `must_update_salt`: n characters from 62 carry n·log2(62) bits; 128 are expected. */
const MIN_SALT_CHARS = Math.ceil(128 / Math.log2(62));

export interface DjangoScryptOptions {
  /** For new hashes and the update check. Django's own N=2^14, p=5 is below the floor, so the default is N=2^17, r=8, p=1. */
  cost?: number;
  blockSize?: number;
  parallelization?: number;
  random?: Random;
}

/**
 * Django's `ScryptPasswordHasher` (Django 4.0+):
 * `scrypt$<N>$<salt>$<r>$<p>$<base64(64-byte key)>`. Verification recomputes
 * the encoding with the stored parameters and compares in constant time.
 * Note that Django itself verifies with OpenSSL's 32 MiB memory limit, so it
 * cannot read hashes written here at N=2^17 unless its `maxmem` is raised.
 *
 * ```ts
 * const hasher = new DjangoScryptHasher();
 * await hasher.verify('password', 'scrypt$16384$RLs2LTaGkSNfRAxpsFxXYp$8$5$cqX7lh…Fzg=='); // true (full hash in the tests)
 * ```
 */
export class DjangoScryptHasher implements PasswordHasher {
  readonly algorithm = 'scrypt';
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
  readonly #random: Random;

  constructor(options: DjangoScryptOptions = {}) {
    this.cost = options.cost ?? 2 ** 17;
    this.blockSize = options.blockSize ?? 8;
    this.parallelization = options.parallelization ?? 1;
    assertScryptFloors(this);
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    const m = DJANGO.exec(encoded);
    if (m === null) return false;
    const log2 = Math.log2(Number(m[1]));
    return Number.isInteger(log2) && log2 >= 1 && log2 <= 20 && Number(m[3]) >= 1 && Number(m[4]) >= 1;
  }

  async hash(password: string): Promise<string> {
    const { cost, blockSize, parallelization } = this;
    return this.#encode(password, this.#random.string(22, ALNUM), cost, blockSize, parallelization);
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const [, n, salt, r, p] = DJANGO.exec(encoded)!;
    try {
      return timingSafeEqual(await this.#encode(password, salt, Number(n), Number(r), Number(p)), encoded);
    } catch {
      return false; // parameters OpenSSL refuses
    }
  }

  mustUpdate(encoded: string): boolean {
    const m = DJANGO.exec(encoded);
    if (m === null) return true;
    const [, n, salt, r, p] = m;
    return (
      Number(n) < this.cost ||
      Number(r) < this.blockSize ||
      Number(p) < this.parallelization ||
      salt.length < MIN_SALT_CHARS
    );
  }

  async #encode(password: string, salt: string, n: number, r: number, p: number): Promise<string> {
    const key = await scryptKey(password, Buffer.from(salt, 'utf8'), DJANGO_KEY_BYTES, n, r, p);
    return `scrypt$${n}$${salt}$${r}$${p}$${key.toString('base64')}`;
  }
}
