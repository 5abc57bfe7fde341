import type { Clock } from '../internal/clock.ts';
import type { User, UserStore } from '../stores/types.ts';
import type { PasswordHashers } from './password-hashers.ts';

/**
 * Django's `AbstractBaseUser.normalize_username`: NFKC, so `ｊｏｈｎ` and `john`
 * name one account. Apply it wherever a username is stored or looked up.
 *
 * ```ts
 * normalizeUsername('ｊｏｈｎ'); // 'john'
 * ```
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

export interface CredentialDeps {
  users: UserStore;
  hashers: PasswordHashers;
  /** Accepted for symmetry with the other services; Django's `authenticate` does not touch `last_login` (`login()` does). */
  clock?: Clock;
  /**
   * Told when a stored hash was upgraded (a Django hash rehashed as argon2id):
   * the password is the same, so what was bound to the old hash (sessions'
   * auth hashes) may be carried over to the new one.
   */
  onRehash?: (before: User, after: User) => Promise<void>;
}

/**
 * Django's `ModelBackend.authenticate`: the user, or null for every failure.
 * Every failure path costs exactly one password-hasher run (AUTH-02): an
 * unknown username runs a dummy verify, and an inactive user's password is
 * still checked before `isActive` is looked at, so neither is distinguishable
 * by timing from a wrong password. On a correct password whose stored hash is
 * outdated (a Django pbkdf2 hash, weaker argon2 parameters) the password is
 * rehashed with the default hasher and saved, Django's transparent upgrade;
 * like Django's `check_password`, this happens for inactive users too.
 *
 * ```ts
 * const user = await verifyCredentials({ users, hashers }, 'alice', 'correct horse');
 * if (user === null) throw new AuthenticationFailed('Invalid username/password.');
 * ```
 */
export async function verifyCredentials(
  deps: CredentialDeps,
  username: string,
  password: string,
): Promise<User | null> {
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const { users, hashers } = deps;
  const user = await users.getByUsername(normalizeUsername(username));
  if (user === null) {
    await hashers.dummyVerify(password);
    return null;
  }
  const { valid, mustUpdate } = await hashers.verify(password, user.password);
  if (!valid) return null;
  // null from update: the user was deleted meanwhile, so there is no one to log in.
  const current = mustUpdate ? await users.update(user.id, { password: await hashers.hash(password) }) : user;
  if (mustUpdate && current) await deps.onRehash?.(user, current);
  return current?.isActive ? current : null;
}
