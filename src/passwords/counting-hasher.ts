import type { PasswordHasher } from './hasher.ts';

/** Calls made through counting hashers, shared by all hashers made with one counter. */
export interface HasherCalls {
  hash: number;
  verify: number;
}

/**
 * A test double in the spirit of Django's `CountingMD5PasswordHasher`: wraps
 * a real hasher and counts `hash` and `verify` calls, for the AUTH-02 and
 * PWD-02 tests ("every failure path costs exactly one verify", "an oversized
 * password costs none"). Not exported from the package index.
 *
 * ```ts
 * const calls = { hash: 0, verify: 0 };
 * const hashers = new PasswordHashers({ hashers: [countingHasher(new Argon2idHasher(), calls)] });
 * await hashers.dummyVerify('x');
 * calls.verify; // 1
 * ```
 */
export function countingHasher(inner: PasswordHasher, calls: HasherCalls): PasswordHasher {
  return {
    algorithm: inner.algorithm,
    identifies: (encoded) => inner.identifies(encoded),
    mustUpdate: (encoded) => inner.mustUpdate(encoded),
    legacy: inner.legacy,
    hash(password) {
      calls.hash++;
      return inner.hash(password);
    },
    verify(password, encoded) {
      calls.verify++;
      return inner.verify(password, encoded);
    },
  };
}
