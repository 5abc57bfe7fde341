/**
 * One password-hashing algorithm: Django's `BasePasswordHasher` in four verbs.
 * `PasswordHashers` picks the hasher whose `identifies` accepts a stored
 * encoding; the first configured hasher makes new hashes.
 *
 * ```ts
 * const hasher: PasswordHasher = new Argon2idHasher();
 * const encoded = await hasher.hash('correct horse'); // '$argon2id$v=19$m=19456,t=2,p=1$…'
 * await hasher.verify('correct horse', encoded); // true
 * hasher.mustUpdate(encoded); // false: already at the configured parameters
 * ```
 */
export interface PasswordHasher {
  /** The stored algorithm name, e.g. `argon2id` or Django's `pbkdf2_sha256`. */
  readonly algorithm: string;
  /**
   * Whether `encoded` is a well-formed encoding of this algorithm. Strict on
   * purpose: a malformed value is then treated like an unusable password, so
   * it still costs one full default-hasher run (AUTH-02).
   */
  identifies(encoded: string): boolean;
  /** A fresh salted encoding of `password` at the configured parameters. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `encoded`; false (never a throw) for a mismatch or a bad encoding. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** Whether `encoded` is weaker than this hasher's configured parameters (so it should be rehashed). */
  mustUpdate(encoded: string): boolean;
  /**
   * Set on Django's work-factor-free formats (`md5`, `sha1`, `unsalted_md5`,
   * `unsalted_sha1`): kept only so imported users can log in once and be
   * upgraded. Such a hasher never makes hashes and cannot be the default, and
   * since its verify costs next to nothing, `PasswordHashers` adds one dummy
   * default-hasher verify to each failed check (AUTH-02).
   */
  readonly legacy?: boolean;
}
