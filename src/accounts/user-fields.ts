/**
 * The user fields' own rules, as Django's `User` model states them: what a
 * username and an e-mail address may be, and how addresses are compared.
 * Shared by every way an account is made or changed (`/api/register/`,
 * djoser's `/auth/users/`, `set_username`, `users/me/`, the CLI).
 */

/** Django's `username` max_length. */
export const MAX_USERNAME = 150;
/** Django's `EmailField` max_length. */
export const MAX_EMAIL = 254;

// Django's UnicodeUsernameValidator: word characters and @ . + - only.
const USERNAME = /^[\p{L}\p{N}_@.+-]+$/u;
// Django's EmailValidator, simplified to what it accepts for ordinary addresses. The domain's
// first dot is found without backtracking: `[^…]+\.` was O(n²) on `a@` and a run of dots (issue 8.1).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"][^\s@<>()[\]\\,;:".]*\.[^\s@<>()[\]\\,;:"]{2,}$/u;
// Control characters are no part of an address (Django's validator refuses them; a mailer would too).
const CONTROL = /\p{Cc}/u;

/**
 * Django's validators on `username` (max length, then the character set),
 * every failing one listed as DRF lists them. Uniqueness is the store's.
 *
 * ```ts
 * usernameProblems('bad name'); // ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.']
 * ```
 */
export function usernameProblems(username: string): string[] {
  const problems: string[] = [];
  if ([...username].length > MAX_USERNAME)
    problems.push(`Ensure this field has no more than ${MAX_USERNAME} characters.`);
  // One character class, no backtracking: linear in the input, which the body limit (1 MiB) bounds.
  if (!USERNAME.test(username))
    problems.push(
      'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    );
  return problems;
}

/**
 * DRF's `EmailField` on a non-blank value: the length first, then the
 * address pattern (an over-long value is never run through the pattern).
 *
 * ```ts
 * emailProblems('nope'); // ['Enter a valid email address.']
 * ```
 */
export function emailProblems(email: string): string[] {
  if ([...email].length > MAX_EMAIL) return [`Ensure this field has no more than ${MAX_EMAIL} characters.`];
  return EMAIL.test(email) && !CONTROL.test(email) ? [] : ['Enter a valid email address.'];
}

/**
 * Django's `BaseUserManager.normalize_email`: the domain part lower-cased,
 * the local part kept (some mail servers tell case apart there).
 *
 * ```ts
 * normalizeEmail('Alice@Example.COM'); // 'Alice@example.com'
 * ```
 */
export function normalizeEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at === -1 ? email : email.slice(0, at + 1) + email.slice(at + 1).toLowerCase();
}

/**
 * Django's `_unicode_ci_compare` (PasswordResetForm, after CVE-2019-19844):
 * the two addresses are one after NFKC and case folding, so `ALICE@…`
 * finds `alice@…` while a look-alike (`mıke@…` for `mike@…`) finds nobody.
 *
 * ```ts
 * sameEmail('Alice@Example.com', 'alice@example.com'); // true
 * sameEmail('mıke@example.com', 'mike@example.com');   // false
 * ```
 */
export function sameEmail(a: string, b: string): boolean {
  return emailIdentity(a) === emailIdentity(b);
}

/**
 * The identity two addresses share when {@link sameEmail} holds them one:
 * what per-address throttle buckets are keyed on.
 *
 * ```ts
 * emailIdentity('Alice@Example.com'); // 'alice@example.com'
 * ```
 */
export function emailIdentity(email: string): string {
  return email.normalize('NFKC').toLowerCase();
}
