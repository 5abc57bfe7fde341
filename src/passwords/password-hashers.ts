import { ConfigurationError } from '../errors.ts';
import { Argon2idHasher } from './argon2id.ts';
import { DjangoArgon2Hasher } from './django-argon2.ts';
import { DjangoBcryptHasher } from './django-bcrypt.ts';
import { DjangoPbkdf2Hasher } from './django-pbkdf2.ts';
import { DjangoSaltedDigestHasher } from './django-salted-digest.ts';
import { DjangoScryptHasher } from './django-scrypt.ts';
import { DjangoUnsaltedDigestHasher } from './django-unsalted-digest.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword, passwordBytes } from './limits.ts';
import { ScryptHasher } from './scrypt.ts';

/** The outcome of `PasswordHashers.verify`. `mustUpdate` is only ever true for a valid password. */
export interface PasswordCheck {
  valid: boolean;
  mustUpdate: boolean;
}

const INVALID: PasswordCheck = Object.freeze({ valid: false, mustUpdate: false });

/**
 * Django's `PASSWORD_HASHERS`: the first hasher makes new hashes, every hasher
 * can verify. The default list is argon2id first, then every format a Django
 * 3.2–5.2 user table can hold (pbkdf2_sha256, pbkdf2_sha1, argon2, scrypt,
 * bcrypt_sha256, bcrypt, and the legacy md5, sha1, unsalted_md5 and
 * unsalted_sha1) and our scrypt, so a Django user table works unchanged and
 * each hash is upgraded to argon2id on the next login. Django's `crypt`
 * (DES crypt(3), gone in Django 5.0) is not read: such a password never matches.
 *
 * Timing (AUTH-02): an unknown or unusable encoding (`''`, Django's `!…`, a
 * malformed value) still costs one default-hasher verify, against a dummy hash
 * made once on first use, and so does a failed check against a legacy hash
 * (one MD5 is no time at all). Passwords over 4096 bytes are never hashed.
 *
 * ```ts
 * const hashers = new PasswordHashers();
 * const encoded = await hashers.hash('correct horse');
 * await hashers.verify('correct horse', encoded); // { valid: true, mustUpdate: false }
 * await hashers.verify('password', 'pbkdf2_sha256$1000000$YGaHRYa5HNwQRWf1oEQmHp$AVra…'); // { valid: true, mustUpdate: true }
 * await hashers.verify('x', '!unusable'); // { valid: false, mustUpdate: false }, after one dummy argon2id run
 * ```
 */
export class PasswordHashers {
  /** The hasher for new hashes (the first configured). */
  readonly default: PasswordHasher;
  readonly hashers: readonly PasswordHasher[];
  #dummy: Promise<string> | null = null;

  constructor(options: { hashers?: PasswordHasher[] } = {}) {
    const hashers: PasswordHasher[] = options.hashers ?? [
      new Argon2idHasher(),
      new DjangoPbkdf2Hasher(),
      new DjangoPbkdf2Hasher({ digest: 'sha1' }),
      new DjangoArgon2Hasher(),
      new DjangoScryptHasher(),
      new ScryptHasher(),
      new DjangoBcryptHasher(),
      new DjangoBcryptHasher({ sha256: false }),
      new DjangoSaltedDigestHasher({ digest: 'md5' }),
      new DjangoSaltedDigestHasher({ digest: 'sha1' }),
      new DjangoUnsaltedDigestHasher({ digest: 'md5' }),
      new DjangoUnsaltedDigestHasher({ digest: 'sha1' }),
    ];
    if (hashers.length === 0) throw new ConfigurationError('PasswordHashers needs at least one hasher');
    if (hashers[0].legacy === true) {
      throw new ConfigurationError(`${hashers[0].algorithm} is verify-only and cannot be the default hasher`);
    }
    this.hashers = Object.freeze([...hashers]);
    this.default = hashers[0];
  }

  /** A new encoding with the default hasher; throws a RangeError for a password over 4096 bytes. */
  async hash(password: string): Promise<string> {
    passwordBytes(password);
    return this.default.hash(password);
  }

  /** Django's `check_password`: which hasher, whether it matches, whether to rehash. */
  async verify(password: string, encoded: string): Promise<PasswordCheck> {
    if (!isHashablePassword(password)) return INVALID;
    const hasher = typeof encoded === 'string' ? this.hashers.find((h) => h.identifies(encoded)) : undefined;
    if (hasher === undefined) {
      await this.dummyVerify(password);
      return INVALID;
    }
    if (!(await hasher.verify(password, encoded))) {
      if (hasher.legacy === true) await this.dummyVerify(password);
      return INVALID;
    }
    return { valid: true, mustUpdate: hasher !== this.default || hasher.mustUpdate(encoded) };
  }

  /**
   * Exactly one default-hasher verify against a dummy hash, then false: what an
   * unknown username costs, so it takes as long as a wrong password.
   */
  async dummyVerify(password: string): Promise<false> {
    if (!isHashablePassword(password)) return false;
    await this.default.verify(password, await this.#dummyHash());
    return false;
  }

  #dummyHash(): Promise<string> {
    this.#dummy ??= this.default.hash(crypto.randomUUID()).catch((error: unknown) => {
      this.#dummy = null;
      throw error;
    });
    return this.#dummy;
  }
}
