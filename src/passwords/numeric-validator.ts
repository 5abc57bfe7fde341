import { pyIsDigit } from './python-str.ts';
import type { PasswordProblem, PasswordValidator } from './validator.ts';

/**
 * Django's `NumericPasswordValidator`: rejects a password that is entirely
 * digits by Python's `str.isdigit` (so `'²³⁴⁵⁶⁷⁸⁹'` counts as numeric too).
 *
 * ```ts
 * new NumericPasswordValidator().validate('42424242', {});
 * // { code: 'password_entirely_numeric', message: 'This password is entirely numeric.' }
 * ```
 */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): PasswordProblem | null {
    if (!pyIsDigit(password)) return null;
    return { code: 'password_entirely_numeric', message: 'This password is entirely numeric.' };
  }
}
