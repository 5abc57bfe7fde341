import { lookalikeProblem } from './accounts/lookalike-username.ts';
import { ValidationError } from './errors.ts';
import { type Clock, systemClock } from './internal/clock.ts';
import type { Origin, SecurityEvents } from './logging/security-events.ts';
import type { PasswordHashers } from './passwords/password-hashers.ts';
import { validatePassword } from './passwords/validators.ts';
import { normalizeUsername } from './passwords/verify-credentials.ts';
import type { Revocations } from './revocations.ts';
import { type User, UsernameTakenError, type UserStore } from './stores/types.ts';

export interface NewAccount {
  username: string;
  password: string;
  email?: string;
  isStaff?: boolean;
  isSuperuser?: boolean;
}

// Django's UnicodeUsernameValidator: word characters and @ . + - only.
const USERNAME = /^[\p{L}\p{N}_@.+-]+$/u;
// Django's EmailValidator, simplified to what it accepts for ordinary addresses. The domain's
// first dot is found without backtracking: `[^…]+\.` was O(n²) on `a@` and a run of dots (issue 8.1).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"][^\s@<>()[\]\\,;:".]*\.[^\s@<>()[\]\\,;:"]{2,}$/u;
// Django's EmailValidator refuses more than 320 characters (RFC 3696) before any pattern looks.
const MAX_EMAIL_LENGTH = 320;

/**
 * User accounts: creation with Django's validators, password changes and
 * deactivation — each of which ends the credentials it must, through
 * Revocations, before it returns.
 *
 * ```ts
 * const alice = await accounts.create({ username: 'alice', password: 'Pw-12345678' });
 * ```
 */
export class Accounts {
  readonly #users: UserStore;
  readonly #hashers: PasswordHashers;
  readonly #revocations: Revocations;
  readonly #clock: Clock;
  readonly #events: SecurityEvents | null;

  constructor(deps: {
    users: UserStore;
    hashers: PasswordHashers;
    revocations: Revocations;
    events?: SecurityEvents;
    clock?: Clock;
  }) {
    this.#users = deps.users;
    this.#hashers = deps.hashers;
    this.#revocations = deps.revocations;
    this.#events = deps.events ?? null;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Validates like Django's UserCreationForm + DRF serializer; throws ValidationError with field errors. */
  async create(input: NewAccount): Promise<User> {
    const username = normalizeUsername(input.username);
    const email = (input.email ?? '').trim();
    const errors: Record<string, string[]> = {};
    const usernameTooLong = [...username].length > 150;
    if (usernameTooLong) errors.username = ['Ensure this field has no more than 150 characters.'];
    else if (!USERNAME.test(username)) {
      errors.username = [
        'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
      ];
    } else if (await this.#users.getByUsername(username))
      errors.username = ['A user with that username already exists.'];
    else {
      // Issue 8.10: a Cyrillic or Greek look-alike of a name, or a mix of scripts, passes for someone else.
      const lookalike = await lookalikeProblem(username, (name) => this.#users.getByUsername(name));
      if (lookalike) errors.username = [lookalike];
    }
    const emailValid = !email || (email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email));
    // The similarity check costs length × parts: a megabyte username or e-mail must never reach it
    // (issue 8.1). Django's forms agree: a value its form field refused (too long, not an e-mail
    // address) is not on the instance the password is compared with.
    const passwordErrors = validatePassword(input.password, {
      username: usernameTooLong ? '' : username,
      email: emailValid ? email : '',
    });
    if (passwordErrors.length > 0) errors.password = passwordErrors;
    if (!emailValid) errors.email = ['Enter a valid email address.'];
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    try {
      return await this.#users.create({
        username,
        email,
        password: await this.#hashers.hash(input.password),
        isStaff: input.isStaff ?? false,
        isSuperuser: input.isSuperuser ?? false,
        dateJoined: this.#clock.now(),
      });
    } catch (error) {
      if (error instanceof UsernameTakenError) {
        throw new ValidationError({ username: ['A user with that username already exists.'] });
      }
      throw error;
    }
  }

  /**
   * Validates and sets a new password; every session, refresh token and
   * access JWT of the user dies (API tokens too with `endTokens`), on every
   * instance, before this returns.
   */
  async setPassword(
    user: User,
    password: string,
    options: { origin?: Origin; endTokens?: boolean; field?: string } = {},
  ): Promise<User> {
    const errors = validatePassword(password, { username: user.username, email: user.email });
    if (errors.length > 0) throw new ValidationError({ [options.field ?? 'new_password']: errors });
    const updated = await this.#users.update(user.id, { password: await this.#hashers.hash(password) });
    await this.#revocations.endUserCredentials(user.id, { tokens: options.endTokens ?? false });
    this.#events?.emit('password_changed', { origin: options.origin, userId: user.id });
    return updated ?? user;
  }

  /** Logout everywhere: every session, API token and refresh token of the user, and its access JWTs. */
  async logoutEverywhere(user: User, origin?: Origin): Promise<void> {
    await this.#revocations.endUserCredentials(user.id, { tokens: true });
    this.#events?.emit('logout_everywhere', { origin, userId: user.id });
  }

  /** Deactivation keeps the credentials but every one of them answers `User inactive or deleted.`. */
  async setActive(user: User, active: boolean): Promise<User> {
    const updated = await this.#users.update(user.id, { isActive: active });
    await this.#revocations.userChanged(user.id);
    return updated ?? user;
  }

  getByUsername(username: string): Promise<User | null> {
    return this.#users.getByUsername(normalizeUsername(username));
  }
}
