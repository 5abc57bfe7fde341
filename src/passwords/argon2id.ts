import { cryptoRandom, type Random } from '../internal/random.ts';
import { argon2idHash, argon2Verify, argon2Weaker } from './argon2-phc.ts';
import { assertArgon2Floors, SALT_BYTES } from './floors.ts';
import type { PasswordHasher } from './hasher.ts';

const PHC =
  /^\$argon2id\$(?:v=(?:16|19)\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/;

export interface Argon2idOptions {
  /** KiB; default 19456 (OWASP's headline). Must meet the floor for `timeCost`. */
  memoryCost?: number;
  /** Passes; default 2. */
  timeCost?: number;
  /** Lanes; default 1. */
  parallelism?: number;
  random?: Random;
}

/**
 * The default hasher: argon2id (m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte
 * output) stored as a standard PHC string. Hashing runs on the libuv
 * threadpool, off the event loop. Parameters below the OWASP/ASVS floors throw
 * a `ConfigurationError`.
 *
 * ```ts
 * const hasher = new Argon2idHasher();
 * const encoded = await hasher.hash('correct horse'); // '$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>'
 * await hasher.verify('correct horse', encoded); // true
 * new Argon2idHasher({ memoryCost: 8192 }); // throws ConfigurationError
 * ```
 */
export class Argon2idHasher implements PasswordHasher {
  readonly algorithm = 'argon2id';
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
  readonly #random: Random;

  constructor(options: Argon2idOptions = {}) {
    this.memoryCost = options.memoryCost ?? 19456;
    this.timeCost = options.timeCost ?? 2;
    this.parallelism = options.parallelism ?? 1;
    assertArgon2Floors(this);
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    return PHC.test(encoded);
  }

  hash(password: string): Promise<string> {
    return argon2idHash(password, this, this.#random.bytes(SALT_BYTES));
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    return this.identifies(encoded) && argon2Verify(password, encoded);
  }

  mustUpdate(encoded: string): boolean {
    return argon2Weaker(encoded, this, SALT_BYTES);
  }
}
