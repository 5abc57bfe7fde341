import { Throttled } from '../errors.ts';
import { addressKey } from '../internal/client-address.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import type { Origin, SecurityEvents } from '../logging/security-events.ts';
import type { CounterStore } from '../stores/types.ts';
import { countHit, parseRate, type Rate } from './rate.ts';

export interface RegisterThrottleOptions {
  counters: CounterStore;
  /** Sign-ups per client address: a DRF rate string, default `20/hour`. */
  rate?: string;
  clock?: Clock;
  /** Where a refusal is logged (`throttled`). */
  events?: SecurityEvents;
}

/**
 * Sign-up's own bucket per client address (`/api/register/`, `/auth/users/`),
 * apart from the login and e-mail buckets: every attempt counts, before it
 * is looked at, so "A user with that username already exists." cannot be
 * asked for name after name.
 *
 * ```ts
 * await throttle.hit(req); // throws Throttled (429) past the rate
 * ```
 */
export class RegisterThrottle {
  readonly #counters: CounterStore;
  readonly #rate: Rate;
  readonly #clock: Clock;
  readonly #events: SecurityEvents | null;

  constructor(options: RegisterThrottleOptions) {
    this.#counters = options.counters;
    this.#rate = parseRate(options.rate ?? '20/hour');
    this.#clock = options.clock ?? systemClock;
    this.#events = options.events ?? null;
  }

  /** Counts one sign-up attempt from `origin.clientAddress`; throws Throttled past the rate. */
  async hit(origin: Origin): Promise<void> {
    const key = `throttle_register_address_${addressKey(origin.clientAddress)}`;
    const wait = await countHit(this.#counters, key, this.#rate, this.#clock);
    if (wait === null) return;
    this.#events?.emit('throttled', { origin, userId: null, reason: 'register' });
    throw new Throttled(wait);
  }
}
