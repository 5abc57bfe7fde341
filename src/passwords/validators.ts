import { ConfigurationError } from '../errors.ts';
import { CommonPasswordValidator } from './common-password-validator.ts';
import { MaximumLengthValidator, MinimumLengthValidator } from './length-validators.ts';
import { NumericPasswordValidator } from './numeric-validator.ts';
import { UserAttributeSimilarityValidator } from './similarity-validator.ts';
import type { PasswordProblem, PasswordUser, PasswordValidator } from './validator.ts';

/**
 * Django's default `AUTH_PASSWORD_VALIDATORS`, in Django's order: user
 * attribute similarity, minimum length, common password, entirely numeric.
 * `minLength` below 8 is refused (PWD-01); ASVS recommends 15 when the
 * password is the only factor.
 *
 * ```ts
 * const validators = defaultPasswordValidators({ minLength: 15 });
 * defaultPasswordValidators({ minLength: 6 }); // throws ConfigurationError
 * ```
 */
export function defaultPasswordValidators(
  options: { minLength?: number } = {},
): readonly PasswordValidator[] {
  const minLength = options.minLength ?? 8;
  if (!(minLength >= 8)) throw new ConfigurationError(`minLength must be at least 8, got ${minLength}`);
  return Object.freeze([
    new UserAttributeSimilarityValidator(),
    new MinimumLengthValidator({ minLength }),
    new CommonPasswordValidator(),
    new NumericPasswordValidator(),
  ]);
}

const DEFAULTS = defaultPasswordValidators();
const LIMITS = new MaximumLengthValidator();

/**
 * Every problem with a new password, with Django's codes and messages. The
 * input limit (over 4096 bytes, ill-formed Unicode) is checked first and, when
 * it fails, is the only problem reported: such input is not examined further.
 *
 * ```ts
 * passwordProblems('password', { username: 'alice' });
 * // [{ code: 'password_too_common', message: 'This password is too common.' }]
 * ```
 */
export function passwordProblems(
  password: string,
  user: PasswordUser = {},
  validators: readonly PasswordValidator[] = DEFAULTS,
): PasswordProblem[] {
  const limit = LIMITS.validate(password);
  if (limit !== null) return [limit];
  const problems: PasswordProblem[] = [];
  for (const validator of validators) {
    const problem = validator.validate(password, user);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/**
 * Django's `validate_password`, returning the messages (empty when the
 * password is acceptable) instead of raising.
 *
 * ```ts
 * validatePassword('1234567', {});
 * // ['This password is too short. It must contain at least 8 characters.',
 * //  'This password is too common.', 'This password is entirely numeric.']
 * ```
 */
export function validatePassword(
  password: string,
  user: PasswordUser = {},
  validators: readonly PasswordValidator[] = DEFAULTS,
): string[] {
  return passwordProblems(password, user, validators).map((p) => p.message);
}
