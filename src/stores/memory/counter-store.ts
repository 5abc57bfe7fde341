import type { Clock } from '../../internal/clock.ts';
import { systemClock } from '../../internal/clock.ts';
import type { CounterStore, CounterValue } from '../types.ts';

/** How many increments between sweeps of windows that have ended. */
const SWEEP_EVERY = 1024;

/**
 * Fixed-window throttle counters held in process memory (the embedded default:
 * one process, so no shared store is needed). The window starts at the first
 * increment and ends `ttlMs` later by the injected clock; ended windows are
 * swept now and then so abandoned keys do not grow the map forever.
 *
 * ```ts
 * const counters = new MemoryCounterStore({ clock });
 * const { count, resetAt } = await counters.increment('throttle_anon_1.2.3.4', 60_000);
 * ```
 */
export class MemoryCounterStore implements CounterStore {
  readonly #clock: Clock;
  readonly #windows = new Map<string, CounterValue>();
  #untilSweep = SWEEP_EVERY;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  async increment(key: string, ttlMs: number): Promise<CounterValue> {
    const now = this.#clock.now();
    if (--this.#untilSweep <= 0) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + ttlMs };
      this.#windows.set(key, window);
    }
    window.count++;
    return { ...window };
  }

  async decrement(key: string, resetAt: number): Promise<boolean> {
    const window = this.#windows.get(key);
    // Only the window that was counted in, while it lasts: a later window owes nothing.
    if (!window || window.resetAt !== resetAt || resetAt <= this.#clock.now() || window.count <= 0)
      return false;
    window.count--;
    return true;
  }

  async get(key: string): Promise<CounterValue> {
    const now = this.#clock.now();
    const window = this.#windows.get(key);
    // An ended window reads as empty; its reset time is "now", as nothing is pending.
    return window && window.resetAt > now ? { ...window } : { count: 0, resetAt: now };
  }

  async reset(key: string): Promise<void> {
    this.#windows.delete(key);
  }

  #sweep(now: number): void {
    this.#untilSweep = SWEEP_EVERY;
    for (const [key, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(key);
    }
  }
}
