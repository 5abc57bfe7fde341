import type { User } from './types.ts';

/**
 * A user value whose password hash does not serialise: `password` is
 * readable but not enumerable, so `JSON.stringify(user)`, `{ ...user }` and
 * `console.log(user)` never show it. Every store hands users out through this.
 *
 * ```ts
 * JSON.stringify(userRecord({ ...fields, password: hash })); // no "password"
 * ```
 */
export function userRecord(fields: User): User {
  const { password, ...rest } = fields;
  return Object.defineProperty(rest, 'password', {
    value: password,
    enumerable: false,
    writable: false,
    configurable: false,
  }) as User;
}
