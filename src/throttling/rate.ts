import { ConfigurationError } from '../errors.ts';

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
