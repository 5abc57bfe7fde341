import { addressKey } from '../internal/client-address.ts';
import type { Clock } from '../internal/clock.ts';
import { systemClock } from '../internal/clock.ts';
import type { CounterStore } from '../stores/types.ts';
import type { RequestContext, Throttle, ThrottleDecision } from '../types.ts';
import { countHit, parseRate, type Rate } from './rate.ts';

export interface RateThrottleOptions {
  rate: string;
  counters: CounterStore;
  clock?: Clock;
}

/**
 * DRF's `SimpleRateThrottle` over a CounterStore: a fixed window that starts
 * at the first request, counted by one atomic increment per request (so
 * several instances sharing Redis count together). Subclasses give the key.
 */
export abstract class RateThrottle implements Throttle {
  readonly rate: Rate;
  readonly #counters: CounterStore;
  readonly #clock: Clock;

  constructor(options: RateThrottleOptions) {
    this.rate = parseRate(options.rate);
    this.#counters = options.counters;
    this.#clock = options.clock ?? systemClock;
  }

  /** The cache key for this request, or null for "not throttled by me". */
  abstract key(ctx: RequestContext): string | null;

  async allow(ctx: RequestContext): Promise<ThrottleDecision> {
    const key = this.key(ctx);
    if (key === null) return { allowed: true };
    const wait = await countHit(this.#counters, key, this.rate, this.#clock);
    return wait === null ? { allowed: true } : { allowed: false, wait };
  }
}

/** DRF's `AnonRateThrottle`: anonymous requests, per client address. */
export class AnonRateThrottle extends RateThrottle {
  key(ctx: RequestContext): string | null {
    return ctx.user ? null : `throttle_anon_${addressKey(ctx.req.clientAddress)}`;
  }
}

/** DRF's `UserRateThrottle`: per user id, or per address for anonymous requests. */
export class UserRateThrottle extends RateThrottle {
  key(ctx: RequestContext): string {
    return `throttle_user_${ctx.user ? ctx.user.id : addressKey(ctx.req.clientAddress)}`;
  }
}

/** DRF's `ScopedRateThrottle`: `new ScopedRateThrottle({ scope: 'uploads', rate: '10/h', counters })`. */
export class ScopedRateThrottle extends RateThrottle {
  readonly scope: string;
  constructor(options: RateThrottleOptions & { scope: string }) {
    super(options);
    this.scope = options.scope;
  }
  key(ctx: RequestContext): string {
    return `throttle_${this.scope}_${ctx.user ? ctx.user.id : addressKey(ctx.req.clientAddress)}`;
  }
}
