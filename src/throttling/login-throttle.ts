import { Throttled } from '../errors.ts';
import { addressKey } from '../internal/client-address.ts';
import type { Clock } from '../internal/clock.ts';
import { systemClock } from '../internal/clock.ts';
import { sha256Hex } from '../internal/hash.ts';
import type { CounterStore, CounterValue } from '../stores/types.ts';
import { parseRate, type Rate } from './rate.ts';

export interface LoginThrottleOptions {
  counters: CounterStore;
  /** Failed attempts per account, from any address. Default `5/min`. */
  accountRate?: string;
  /** Failed attempts per client address, whatever accounts it tries. Default `20/min`. */
  addressRate?: string;
  clock?: Clock;
}

/**
 * The buckets of failed logins shared by every login endpoint. Only failures
 * count; once either bucket is full every attempt answers 429, the right
 * password included, so guessing cannot go on behind a "locked" message.
 *
 * ```ts
 * await throttle.check(username, req.clientAddress);       // throws Throttled
 * if (!user) await throttle.recordFailure(username, req.clientAddress);
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

  async check(username: string, address: string): Promise<void> {
    const [account, client] = await Promise.all([
      this.#counters.get(this.#accountKey(username)),
      this.#counters.get(this.#addressKey(address)),
    ]);
    const waits = [this.#wait(account, this.#account), this.#wait(client, this.#address)].filter(
      (w): w is number => w !== null,
    );
    if (waits.length > 0) throw new Throttled(Math.max(...waits));
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all([
      this.#counters.increment(this.#accountKey(username), this.#account.seconds * 1000),
      this.#counters.increment(this.#addressKey(address), this.#address.seconds * 1000),
    ]);
  }

  #wait(value: CounterValue, rate: Rate): number | null {
    if (value.count < rate.requests) return null;
    return Math.max(1, Math.ceil((value.resetAt - this.#clock.now()) / 1000));
  }

  // Usernames are hashed into the key so counter stores never hold them in clear.
  #accountKey(username: string): string {
    return `throttle_login_account_${sha256Hex(username.normalize('NFKC')).slice(0, 32)}`;
  }

  #addressKey(address: string): string {
    return `throttle_login_address_${addressKey(address)}`;
  }
}
