/**
 * Passwords: Django's hashers (argon2id by default; Django's pbkdf2, argon2,
 * scrypt, bcrypt and legacy md5/sha1 formats verified and upgraded on login), timing-equalised credential checks,
 * and Django's four password validators.
 *
 * ```ts
 * import { PasswordHashers, verifyCredentials, validatePassword } from '#gatehouse/passwords/index.ts';
 * const hashers = new PasswordHashers();
 * const user = await verifyCredentials({ users, hashers }, 'alice', 'correct horse');
 * ```
 */
export { Argon2idHasher, type Argon2idOptions } from './argon2id.ts';
export { CommonPasswordValidator } from './common-password-validator.ts';
export { DjangoArgon2Hasher, type DjangoArgon2Options } from './django-argon2.ts';
export { DjangoBcryptHasher, type DjangoBcryptOptions } from './django-bcrypt.ts';
export { DjangoPbkdf2Hasher, type DjangoPbkdf2Options } from './django-pbkdf2.ts';
export { DjangoSaltedDigestHasher } from './django-salted-digest.ts';
export { DjangoScryptHasher, type DjangoScryptOptions } from './django-scrypt.ts';
export { DjangoUnsaltedDigestHasher } from './django-unsalted-digest.ts';
export type { PasswordHasher } from './hasher.ts';
export { MaximumLengthValidator, MinimumLengthValidator } from './length-validators.ts';
export { isHashablePassword, MAX_PASSWORD_BYTES } from './limits.ts';
export { NumericPasswordValidator } from './numeric-validator.ts';
export { type PasswordCheck, PasswordHashers } from './password-hashers.ts';
export { ScryptHasher, type ScryptOptions } from './scrypt.ts';
export { UserAttributeSimilarityValidator } from './similarity-validator.ts';
export { isPasswordUsable, makeUnusablePassword, UNUSABLE_PASSWORD_PREFIX } from './unusable-password.ts';
export type { PasswordProblem, PasswordUser, PasswordValidator } from './validator.ts';
export { defaultPasswordValidators, passwordProblems, validatePassword } from './validators.ts';
export { type CredentialDeps, normalizeUsername, verifyCredentials } from './verify-credentials.ts';
