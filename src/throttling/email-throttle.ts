import { emailIdentity } from '../accounts/user-fields.ts';
import { Throttled } from '../errors.ts';
import { addressKey } from '../internal/client-address.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import { sha256Hex } from '../internal/hash.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { CounterStore } from '../stores/types.ts';
import { countHit, parseRate, type Rate } from './rate.ts';

export interface EmailThrottleOptions {
  counters: CounterStore;
  /** Mails per client address and per target address: a DRF rate string, default `3/hour`. */
  rate?: string;
  clock?: Clock;
  /** Where a refusal is logged (`throttled`). */
  events?: SecurityEvents;
}

/**
 * The buckets of the endpoints that send mail (`reset_password`,
 * `resend_activation`, sign-up with activation, an e-mail change): one per
 * client address, one per target address. Each request is counted before
 * anything is sent, so a burst sends no more than the limit; the target's
 * bucket is counted only once the client's let the request through, so one
 * client cannot use up a victim's bucket faster than its own.
 *
 * ```ts
 * await throttle.hit(req, 'alice@example.com'); // throws Throttled (429)
 * ```
 */
export class EmailThrottle {
  readonly #counters: CounterStore;
  readonly #rate: Rate;
  readonly #clock: Clock;
  readonly #events: SecurityEvents | null;

  constructor(options: EmailThrottleOptions) {
    this.#counters = options.counters;
    this.#rate = parseRate(options.rate ?? '3/hour');
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events ?? null;
  }

  /** Counts one mail from the client (`origin.clientAddress`) to `target`; throws Throttled when either bucket is past the rate. */
  async hit(origin: Origin, target: string): Promise<void> {
    await this.#count(origin, `throttle_email_address_${addressKey(origin.clientAddress)}`, 'email_address');
    // Addresses are hashed into the key so counter stores never hold them in clear.
    await this.#count(
      origin,
      `throttle_email_target_${sha256Hex(emailIdentity(target)).slice(0, 32)}`,
      'email_target',
    );
  }

  async #count(origin: Origin, key: string, bucket: string): Promise<void> {
    const wait = await countHit(this.#counters, key, this.#rate, this.#clock);
    if (wait === null) return;
    this.#events?.emit('throttled', { origin, userId: null, reason: bucket });
    throw new Throttled(wait);
  }
}
