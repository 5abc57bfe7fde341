import { ConfigurationError } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import type { User } from '../stores/types.ts';
import { checkEmailChangeToken, makeEmailChangeToken } from './email-change-token.ts';
import { checkResetToken, DEFAULT_RESET_TIMEOUT, makeResetToken } from './password-reset-token.ts';

/**
 * The key salt of activation tokens. djoser mints activation and reset links
 * with one generator, so either works as the other (an activation link sets
 * a password, a reset link reactivates an account); another salt keeps them apart.
 */
export const ACTIVATION_KEY_SALT = 'gatehouse.accounts.ActivationTokenGenerator';

export interface AccountTokenSettings {
  /** `SECRET_KEY`: new tokens are made with it. */
  secretKey: string;
  /** `SECRET_KEY_FALLBACKS`: tokens made with these still verify (links mailed before a key rotation). */
  secretKeyFallbacks?: readonly string[];
  /** `PASSWORD_RESET_TIMEOUT` in seconds, for every link kind; default 259200 (three days). */
  timeout?: number;
  /** Django's `TIME_ZONE` for reset tokens Django minted (`GATEHOUSE_DJANGO_TIME_ZONE`); default `UTC`. */
  djangoTimeZone?: string;
  clock?: Clock;
}

/**
 * The tokens of the account links: password reset (Django's
 * `default_token_generator`, byte for byte, so Django's links verify here
 * and ours in Django), activation (the same generator under another salt)
 * and e-mail change (a signed, stateless token carrying the new address).
 *
 * ```ts
 * const tokens = new AccountTokens({ secretKey, secretKeyFallbacks: [oldKey] });
 * const token = tokens.reset(user);
 * tokens.checkReset(user, token); // true until the password, last login or e-mail changes, or 3 days pass
 * ```
 */
export class AccountTokens {
  readonly timeout: number;
  readonly #secret: string;
  readonly #secrets: readonly string[];
  readonly #timeZone: string;
  readonly #clock: Clock;

  constructor(settings: AccountTokenSettings) {
    this.#secret = settings.secretKey;
    this.#secrets = [settings.secretKey, ...(settings.secretKeyFallbacks ?? [])];
    this.timeout = settings.timeout ?? DEFAULT_RESET_TIMEOUT;
    this.#timeZone = settings.djangoTimeZone ?? 'UTC';
    this.#clock = settings.clock ?? systemClock;
    if (!(Number.isInteger(this.timeout) && this.timeout > 0))
      throw new ConfigurationError(
        `passwordResetTimeout: expected a whole number of seconds, got ${this.timeout}`,
      );
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: this.#timeZone });
    } catch {
      throw new ConfigurationError(`djangoTimeZone: unknown time zone ${JSON.stringify(this.#timeZone)}`);
    }
  }

  /** A password reset token: dies once the password changes (the reset itself), at a login, or when the address changes. */
  reset(user: User): string {
    return makeResetToken(user, { secret: this.#secret, now: this.#clock.now(), timeZone: this.#timeZone });
  }

  checkReset(user: User, token: string): boolean {
    return checkResetToken(user, token, this.#checkOptions());
  }

  /**
   * An activation token: never accepted as a reset token, nor the reverse.
   * It leaves `last_login` out, so a used link stays recognisable after the
   * first login and answers `Stale token` rather than `Invalid token`
   * (its single use is the account's `pendingActivation`, not the hash).
   */
  activation(user: User): string {
    return makeResetToken(withoutLogin(user), {
      secret: this.#secret,
      now: this.#clock.now(),
      timeZone: this.#timeZone,
      keySalt: ACTIVATION_KEY_SALT,
    });
  }

  checkActivation(user: User, token: string): boolean {
    return checkResetToken(withoutLogin(user), token, {
      ...this.#checkOptions(),
      keySalt: ACTIVATION_KEY_SALT,
    });
  }

  /** An e-mail change token carrying `newEmail`, bound to the user's current address and password. */
  emailChange(user: User, newEmail: string): string {
    return makeEmailChangeToken(user, newEmail, { secret: this.#secret, now: this.#clock.now() });
  }

  /** The new address the token carries, or null when it is not (or no longer) valid for this user. */
  checkEmailChange(user: User, token: string): string | null {
    return checkEmailChangeToken(user, token, {
      secrets: this.#secrets,
      now: this.#clock.now(),
      timeout: this.timeout,
    });
  }

  #checkOptions() {
    return {
      secrets: this.#secrets,
      now: this.#clock.now(),
      timeout: this.timeout,
      timeZone: this.#timeZone,
    };
  }
}

function withoutLogin(user: User) {
  return { id: user.id, password: user.password, email: user.email, lastLogin: null };
}
