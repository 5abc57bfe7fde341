import { createRequire } from 'node:module';
import { pyStrip } from './python-str.ts';
import type { PasswordProblem, PasswordValidator } from './validator.ts';

let shipped: ReadonlySet<string> | null = null;

/**
 * The built-in list: @zxcvbn-ts/language-common's `passwords-common`
 * dictionary (about 49,000 entries, lowercased), standing in for Django's
 * 20,000-entry `common-passwords.txt.gz`. Loaded on first use, once.
 *
 * ```ts
 * commonPasswords().has('godzilla'); // true
 * ```
 */
export function commonPasswords(): ReadonlySet<string> {
  if (shipped === null) {
    const require = createRequire(import.meta.url);
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    shipped = new Set(dictionary['passwords-common'].map((p) => pyStrip(p.toLowerCase())));
  }
  return shipped;
}

/**
 * Django's `CommonPasswordValidator`: rejects a password whose
 * `password.lower().strip()` is on the list. A custom list may be given (it is
 * lowercased and stripped here, which Django leaves to the file's author).
 *
 * ```ts
 * new CommonPasswordValidator().validate('Godzilla ', {});
 * // { code: 'password_too_common', message: 'This password is too common.' }
 * new CommonPasswordValidator({ passwords: ['from-my-custom-list'] });
 * ```
 */
export class CommonPasswordValidator implements PasswordValidator {
  readonly #custom: ReadonlySet<string> | null;

  constructor(options: { passwords?: Iterable<string> } = {}) {
    this.#custom = options.passwords
      ? new Set([...options.passwords].map((p) => pyStrip(p.toLowerCase())))
      : null;
  }

  validate(password: string): PasswordProblem | null {
    const list = this.#custom ?? commonPasswords();
    if (!list.has(pyStrip(password.toLowerCase()))) return null;
    return { code: 'password_too_common', message: 'This password is too common.' };
  }
}
