/**
 * The shape of a password validator: Django's `validate(password, user)`,
 * returning the problem instead of raising, so all problems can be listed.
 *
 * ```ts
 * const noPassword: PasswordValidator = {
 *   validate: (pw) => (/password/i.test(pw) ? { code: 'password_too_common', message: 'This password is too common.' } : null),
 * };
 * ```
 */
export interface PasswordValidator {
  validate(password: string, user: PasswordUser): PasswordProblem | null;
}

/** One rejection: Django's error `code` and its exact English message. */
export interface PasswordProblem {
  code: string;
  message: string;
}

/** The attributes UserAttributeSimilarityValidator compares against (Django's defaults). */
export interface PasswordUser {
  username?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
}
