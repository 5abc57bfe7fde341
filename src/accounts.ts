import { lookalikeProblem } from './accounts/lookalike-username.ts';
import {
  emailProblems,
  MAX_USERNAME,
  normalizeEmail,
  sameEmail,
  usernameProblems,
} from './accounts/user-fields.ts';
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
  /** Default true; an account waiting for its activation link is created inactive and `pendingActivation`. */
  isActive?: boolean;
  pendingActivation?: boolean;
}

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
    const email = normalizeEmail((input.email ?? '').trim());
    const errors: Record<string, string[]> = {};
    const nameErrors = usernameProblems(username);
    if (nameErrors.length > 0) errors.username = nameErrors.slice(0, 1);
    else if (await this.#users.getByUsername(username))
      errors.username = ['A user with that username already exists.'];
    else {
      // Issue 8.10: a Cyrillic or Greek look-alike of a name, or a mix of scripts, passes for someone else.
      const lookalike = await lookalikeProblem(username, (name) => this.#users.getByUsername(name));
      if (lookalike) errors.username = [lookalike];
    }
    const emailValid = !email || emailProblems(email).length === 0;
    // The similarity check costs length × parts: a megabyte username or e-mail must never reach it
    // (issue 8.1). Django's forms agree: a value its form field refused (too long, not an e-mail
    // address) is not on the instance the password is compared with.
    const passwordErrors = validatePassword(input.password, {
      // Only an over-long name is left out: Django 3.2 compares one of the wrong characters still.
      username: [...username].length > MAX_USERNAME ? '' : username,
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
        isActive: input.isActive ?? true,
        pendingActivation: input.pendingActivation ?? false,
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

  /**
   * An operator's (de)activation. Deactivation keeps the credentials but
   * every one of them answers `User inactive or deleted.`; either way the
   * account is no longer waiting for an activation link, so an old link or
   * `resend_activation` can never undo an operator's deactivation.
   */
  async setActive(user: User, active: boolean): Promise<User> {
    const updated = await this.#users.update(user.id, { isActive: active, pendingActivation: false });
    await this.#revocations.userChanged(user.id);
    return updated ?? user;
  }

  /** The owner followed the activation link: active, and no longer pending. */
  async activate(user: User, origin?: Origin): Promise<User> {
    const updated = await this.#users.update(user.id, { isActive: true, pendingActivation: false });
    await this.#revocations.userChanged(user.id);
    this.#events?.emit('account_activated', { origin, userId: user.id });
    return updated ?? user;
  }

  /**
   * djoser's `set_username`: Django's username validators, and a name held
   * by anyone (the user itself included, as djoser's UniqueValidator) is
   * `A user with that username already exists.` on `field`.
   */
  async setUsername(
    user: User,
    newUsername: string,
    options: { origin?: Origin; field?: string } = {},
  ): Promise<User> {
    const field = options.field ?? 'new_username';
    const username = normalizeUsername(newUsername);
    const problems = usernameProblems(username);
    if (problems.length === 0 && (await this.#users.getByUsername(username)))
      problems.push('A user with that username already exists.');
    if (problems.length === 0) {
      // Issue 8.10: no look-alike of another user's name, no mix of scripts.
      const lookalike = await lookalikeProblem(username, async (name) => {
        const found = await this.#users.getByUsername(name);
        return found && found.id !== user.id ? found : null;
      });
      if (lookalike) problems.push(lookalike);
    }
    if (problems.length > 0) throw new ValidationError({ [field]: problems });
    let updated: User | null;
    try {
      updated = await this.#users.update(user.id, { username });
    } catch (error) {
      if (error instanceof UsernameTakenError)
        throw new ValidationError({ [field]: ['A user with that username already exists.'] });
      throw error;
    }
    await this.#revocations.userChanged(user.id);
    this.#events?.emit('username_changed', { origin: options.origin, userId: user.id });
    return updated ?? user;
  }

  /** Sets the address (already validated and, when it is a new mailbox, confirmed by its link). */
  async setEmail(user: User, email: string, origin?: Origin): Promise<User> {
    const updated = await this.#users.update(user.id, { email: normalizeEmail(email) });
    await this.#revocations.userChanged(user.id);
    this.#events?.emit('email_changed', { origin, userId: user.id });
    return updated ?? user;
  }

  /**
   * Closes the account: every session, API token, refresh token and access
   * JWT of the user dies on every instance, then the user and every row
   * that belongs to it are deleted.
   */
  async delete(user: User, origin?: Origin): Promise<void> {
    await this.#revocations.endUserCredentials(user.id, { tokens: true });
    await this.#users.delete(user.id);
    await this.#revocations.userChanged(user.id);
    this.#events?.emit('account_deleted', { origin, userId: user.id });
  }

  getById(id: number): Promise<User | null> {
    return this.#users.getById(id);
  }

  getByUsername(username: string): Promise<User | null> {
    return this.#users.getByUsername(normalizeUsername(username));
  }

  /** Every user whose address is `email` by Django's reset-form comparison (NFKC, case folded), in id order. */
  async listByEmail(email: string): Promise<User[]> {
    return (await this.#users.listByEmail(email)).filter((user) => sameEmail(user.email, email));
  }

  list(): Promise<User[]> {
    return this.#users.list();
  }
}
