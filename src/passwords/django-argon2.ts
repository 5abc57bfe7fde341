import { ALNUM, cryptoRandom, type Random } from '../internal/random.ts';
import { argon2idHash, argon2Verify, argon2Weaker } from './argon2-phc.ts';
import { assertArgon2Floors } from './floors.ts';
import type { PasswordHasher } from './hasher.ts';

const DJANGO =
  /^argon2\$argon2(?:id|i|d)\$(?:v=(?:16|19)\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{16,}$/;
/** Django's `must_update_salt`: a salt of n characters from 62 carries n·log2(62) bits; 128 are expected. */
const MIN_SALT_CHARS = Math.ceil(128 / Math.log2(62));

export interface DjangoArgon2Options {
  /** Django's defaults: time_cost=2, memory_cost=102400 KiB, parallelism=8. */
  memoryCost?: number;
  timeCost?: number;
  parallelism?: number;
  random?: Random;
}

/**
 * Django's `Argon2PasswordHasher`: `argon2` followed by argon2-cffi's PHC
 * string without its leading `$`. Verifies argon2id and the older argon2i
 * hashes (flagged for update). `hash` writes what Django writes (a 22-character
 * alphanumeric salt), so a database shared with a running Django stays readable.
 *
 * ```ts
 * const hasher = new DjangoArgon2Hasher();
 * await hasher.verify('password', 'argon2$argon2id$v=19$m=102400,t=2,p=8$SHpMRVQ2UFNadENoNWJBVjFLRFBxTA$lxs1vun6IvRl0xekhWxD1Cefxbuf/HX8uNnv/59ykZ8'); // true
 * ```
 */
export class DjangoArgon2Hasher implements PasswordHasher {
  readonly algorithm = 'argon2';
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
  readonly #random: Random;

  constructor(options: DjangoArgon2Options = {}) {
    this.memoryCost = options.memoryCost ?? 102400;
    this.timeCost = options.timeCost ?? 2;
    this.parallelism = options.parallelism ?? 8;
    assertArgon2Floors(this);
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    return DJANGO.test(encoded);
  }

  async hash(password: string): Promise<string> {
    // Django writes a 22-character alphanumeric salt; so do we, for a database shared with Django.
    return `argon2${await argon2idHash(password, this, Buffer.from(this.#random.string(22, ALNUM), 'ascii'))}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    return this.identifies(encoded) && argon2Verify(password, encoded.slice('argon2'.length));
  }

  mustUpdate(encoded: string): boolean {
    return argon2Weaker(encoded.slice('argon2'.length), this, MIN_SALT_CHARS);
  }
}
