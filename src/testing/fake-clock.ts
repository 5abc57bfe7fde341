import type { Clock } from '../internal/clock.ts';

/** A clock that only moves when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/**
 * A clock for tests: expiry and throttle windows are tested by moving time,
 * never by sleeping.
 *
 * ```ts
 * const clock = createFakeClock();
 * clock.advance(60_000);
 * ```
 */
export function createFakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`a fake clock only moves forward, got ${ms}`);
      now += ms;
    },
  };
}
