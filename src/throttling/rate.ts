import { ConfigurationError } from '../errors.ts';
import type { Clock } from '../internal/clock.ts';
import type { CounterStore, CounterValue } from '../stores/types.ts';

export interface Rate {
  requests: number;
  /** Window length in seconds. */
  seconds: number;
}

const PERIODS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Parses a DRF rate string. As DRF, only the first letter of the period counts:
 * `'5/min'`, `'5/m'` and `'5/minute'` are all five a minute; `'100/day'` is a day.
 *
 * ```ts
 * parseRate('5/min') // { requests: 5, seconds: 60 }
 * ```
 */
export function parseRate(rate: string): Rate {
  const match = /^\s*(\d+)\s*\/\s*([a-zA-Z]+)\s*$/.exec(rate);
  const seconds = match ? PERIODS[match[2][0].toLowerCase()] : undefined;
  if (!match || seconds === undefined || Number(match[1]) < 1) {
    throw new ConfigurationError(
      `invalid throttle rate ${JSON.stringify(rate)}: expected "<number>/<s|m|h|d>"`,
    );
  }
  return { requests: Number(match[1]), seconds };
}

/** Seconds until the window of `value` ends (at least 1) when its count is past `rate`; null while within it. */
export function waitPast(value: CounterValue, rate: Rate, now: number): number | null {
  if (value.count <= rate.requests) return null;
  return Math.max(1, Math.ceil((value.resetAt - now) / 1000));
}

/**
 * Counts one hit on `key` with one atomic increment (so instances sharing a
 * store count together), then judges it: null within `rate`, else the
 * seconds to wait. Every rate-limited bucket of Gatehouse counts this way.
 */
export async function countHit(
  counters: CounterStore,
  key: string,
  rate: Rate,
  clock: Clock,
): Promise<number | null> {
  return waitPast(await counters.increment(key, rate.seconds * 1000), rate, clock.now());
}
