import { ConfigurationError } from '../errors.ts';
import { MAX_PASSWORD_BYTES } from './limits.ts';
import { pyLen } from './python-str.ts';
import type { PasswordProblem, PasswordValidator } from './validator.ts';

/**
 * Django's `MinimumLengthValidator` (default 8), counting Unicode code points
 * as Python's `len` does (PWD-01): `'😀'.repeat(8)` has length 8.
 *
 * ```ts
 * new MinimumLengthValidator().validate('1234567', {});
 * // { code: 'password_too_short', message: 'This password is too short. It must contain at least 8 characters.' }
 * ```
 */
export class MinimumLengthValidator implements PasswordValidator {
  readonly minLength: number;

  constructor(options: { minLength?: number } = {}) {
    this.minLength = options.minLength ?? 8;
    if (!Number.isInteger(this.minLength) || this.minLength < 1) {
      throw new ConfigurationError(`minLength must be a positive integer, got ${this.minLength}`);
    }
  }

  validate(password: string): PasswordProblem | null {
    if (pyLen(password) >= this.minLength) return null;
    const unit = this.minLength === 1 ? 'character' : 'characters';
    return {
      code: 'password_too_short',
      message: `This password is too short. It must contain at least ${this.minLength} ${unit}.`,
    };
  }
}

/**
 * Not in Django's list: the input limit the hashers enforce (PWD-02), so a
 * password that could never be hashed is rejected with a reason rather than a
 * 500: over 4096 UTF-8 bytes, or containing a lone UTF-16 surrogate.
 *
 * ```ts
 * new MaximumLengthValidator().validate('x'.repeat(4097), {});
 * // { code: 'password_too_long', message: 'This password is too long. It must contain at most 4096 bytes.' }
 * ```
 */
export class MaximumLengthValidator implements PasswordValidator {
  validate(password: string): PasswordProblem | null {
    if (password.length > MAX_PASSWORD_BYTES || Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
      return {
        code: 'password_too_long',
        message: `This password is too long. It must contain at most ${MAX_PASSWORD_BYTES} bytes.`,
      };
    }
    if (!password.isWellFormed()) {
      return {
        code: 'password_invalid_unicode',
        message: 'This password contains invalid Unicode characters.',
      };
    }
    return null;
  }
}
