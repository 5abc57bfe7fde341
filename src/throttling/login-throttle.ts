import { Throttled } from '../errors.ts';
import { addressKey } from '../internal/client-address.ts';
import type { Clock } from '../internal/clock.ts';
import { systemClock } from '../internal/clock.ts';
import { sha256Hex } from '../internal/hash.ts';
import type { CounterStore } from '../stores/types.ts';
import { parseRate, type Rate, waitPast } from './rate.ts';

export interface LoginThrottleOptions {
  counters: CounterStore;
  /** Failed attempts per account, from any address. Default `5/min`. */
  accountRate?: string;
  /** Failed attempts per client address, whatever accounts it tries. Default `20/min`. */
  addressRate?: string;
  clock?: Clock;
}

/**
 * One attempt at a secret (a password, a second-factor code), already counted
 * in both buckets. A wrong secret needs nothing more: it stays counted.
 */
export interface LoginAttempt {
  /** The secret was right: the attempt is taken back, as successful logins count in neither bucket. */
  succeeded(): Promise<void>;
}

/**
 * The buckets of failed logins shared by every login endpoint, the password
 * change's old-password check and any code check. An attempt is counted, by
 * one atomic increment per bucket, before the secret is looked at — so
 * however many attempts arrive at once, at most the limit are judged and the
 * rest answer 429, the right password included (issue 8.4, AUTH-09b). A
 * successful attempt is then taken back, and so is a refused one (DRF does not
 * count requests it refuses): what stays counted is exactly the failures.
 *
 * ```ts
 * const attempt = await throttle.begin(username, req.clientAddress); // throws Throttled
 * const user = await verifyCredentials(deps, username, password);
 * if (user) await attempt.succeeded();
 * ```
 */
export class LoginThrottle {
  readonly #counters: CounterStore;
  readonly #account: Rate;
  readonly #address: Rate;
  readonly #clock: Clock;

  constructor(options: LoginThrottleOptions) {
    this.#counters = options.counters;
    this.#account = parseRate(options.accountRate ?? '5/min');
    this.#address = parseRate(options.addressRate ?? '20/min');
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Counts an attempt on `account` (a username) from `address`; throws
   * Throttled when either bucket is past its limit, the attempt taken back.
   */
  async begin(account: string, address: string): Promise<LoginAttempt> {
    const buckets: [string, Rate][] = [
      [this.#accountKey(account), this.#account],
      [this.#addressKey(address), this.#address],
    ];
    const counted = await Promise.all(
      buckets.map(([key, rate]) => this.#counters.increment(key, rate.seconds * 1000)),
    );
    let takenBack = false;
    const takeBack = async () => {
      if (takenBack) return;
      takenBack = true;
      // A store that cannot be reached leaves the attempt counted: the error lands on the safe side.
      await Promise.allSettled(
        counted.map((value, i) => this.#counters.decrement(buckets[i][0], value.resetAt)),
      );
    };
    const now = this.#clock.now();
    const waits = counted
      .map((value, i) => waitPast(value, buckets[i][1], now))
      .filter((w): w is number => w !== null);
    if (waits.length > 0) {
      await takeBack();
      throw new Throttled(Math.max(...waits));
    }
    return { succeeded: takeBack };
  }

  // Usernames are hashed into the key so counter stores never hold them in clear.
  #accountKey(username: string): string {
    return `throttle_login_account_${sha256Hex(username.normalize('NFKC')).slice(0, 32)}`;
  }

  #addressKey(address: string): string {
    return `throttle_login_address_${addressKey(address)}`;
  }
}
