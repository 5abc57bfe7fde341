import { ConfigurationError } from '../errors.ts';
import { pyLen, pySplitNonWord } from './python-str.ts';
import type { PasswordProblem, PasswordUser, PasswordValidator } from './validator.ts';

/** Django's `verbose_name` of each attribute, as it appears in the message. */
const VERBOSE_NAMES: Record<keyof PasswordUser, string> = {
  username: 'username',
  firstName: 'first name',
  lastName: 'last name',
  email: 'email address',
};

/**
 * Python's `SequenceMatcher(a=a, b=b).quick_ratio()`: an upper bound on the
 * similarity, 2·M/T where M counts the characters common to both strings as
 * multisets and T is the total length (1.0 for two empty strings).
 *
 * ```ts
 * quickRatio('testclient', 'client'); // 0.75
 * ```
 */
export function quickRatio(a: string, b: string): number {
  const available = new Map<string, number>();
  let lengthB = 0;
  for (const c of b) {
    available.set(c, (available.get(c) ?? 0) + 1);
    lengthB++;
  }
  let matches = 0;
  let lengthA = 0;
  for (const c of a) {
    lengthA++;
    const n = available.get(c) ?? 0;
    available.set(c, n - 1);
    if (n > 0) matches++;
  }
  const total = lengthA + lengthB;
  return total === 0 ? 1 : (2 * matches) / total;
}

/**
 * Django's pre-check: when the password is at least ten times longer than the
 * value, quick_ratio cannot reach `maxSimilarity`, so the comparison is skipped.
 *
 * ```ts
 * exceedsMaximumLengthRatio('a'.repeat(100), 0.7, 'ab'); // true
 * ```
 */
export function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const passwordLength = pyLen(password);
  const valueLength = pyLen(value);
  return passwordLength >= 10 * valueLength && valueLength < (maxSimilarity / 2) * passwordLength;
}

/**
 * Django's `UserAttributeSimilarityValidator`: rejects a password whose
 * quick_ratio against a user attribute, or any `\W+`-separated part of it
 * (the local part and domain of an email), is ≥ `maxSimilarity` (0.7).
 *
 * ```ts
 * new UserAttributeSimilarityValidator().validate('testclient', { username: 'testclient' });
 * // { code: 'password_too_similar', message: 'The password is too similar to the username.' }
 * ```
 */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  readonly userAttributes: readonly (keyof PasswordUser)[];
  readonly maxSimilarity: number;

  constructor(options: { userAttributes?: (keyof PasswordUser)[]; maxSimilarity?: number } = {}) {
    this.userAttributes = Object.freeze([
      ...(options.userAttributes ?? ['username', 'firstName', 'lastName', 'email']),
    ]);
    this.maxSimilarity = options.maxSimilarity ?? 0.7;
    if (!(this.maxSimilarity >= 0.1)) throw new ConfigurationError('max_similarity must be at least 0.1');
  }

  validate(password: string, user: PasswordUser): PasswordProblem | null {
    const lowered = password.toLowerCase();
    for (const attribute of this.userAttributes) {
      const value = user[attribute];
      if (typeof value !== 'string' || value === '') continue;
      const valueLower = value.toLowerCase();
      for (const part of [...pySplitNonWord(valueLower), valueLower]) {
        if (exceedsMaximumLengthRatio(lowered, this.maxSimilarity, part)) continue;
        if (quickRatio(lowered, part) >= this.maxSimilarity) {
          const message = `The password is too similar to the ${VERBOSE_NAMES[attribute]}.`;
          return { code: 'password_too_similar', message };
        }
      }
    }
    return null;
  }
}
