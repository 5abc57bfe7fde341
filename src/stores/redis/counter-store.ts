import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../../internal/clock.ts';
import type { CounterStore, CounterValue } from '../types.ts';
import { guardRedis, type RedisClient } from './unavailable.ts';

/**
 * One round trip, atomic: start a window when there is none or it has ended by
 * the caller's clock, else count one more. The window lives in the value
 * (`c` count, `r` reset time) rather than in the key's TTL, because the window
 * is measured by the injected clock (tests move a fake one); the PEXPIRE is
 * only garbage collection, with a grace so Redis never ends a window early.
 * KEYS[1] the counter; ARGV: now, reset time of a new window, its TTL + grace.
 */
const INCREMENT = `
local reset = redis.call('HGET', KEYS[1], 'r')
if reset and tonumber(reset) > tonumber(ARGV[1]) then
  return {redis.call('HINCRBY', KEYS[1], 'c', 1), reset}
end
redis.call('HSET', KEYS[1], 'c', 1, 'r', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, ARGV[2]}
`;

/**
 * One round trip, atomic: take one back from the window that ends at ARGV[1],
 * while it lasts by the caller's clock (ARGV[2]) and never below zero; a
 * window started since owes nothing. Returns 1 when it took one back.
 */
const DECREMENT = `
local reset = redis.call('HGET', KEYS[1], 'r')
if reset and tonumber(reset) == tonumber(ARGV[1]) and tonumber(reset) > tonumber(ARGV[2]) then
  local count = tonumber(redis.call('HGET', KEYS[1], 'c'))
  if count and count > 0 then
    redis.call('HINCRBY', KEYS[1], 'c', -1)
    return 1
  end
end
return 0
`;

interface Script {
  source: string;
  sha: string;
}
const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});
const INCREMENT_SCRIPT = script(INCREMENT);
const DECREMENT_SCRIPT = script(DECREMENT);

/** Extra life for a counter key past its window, so a skewed clock cannot lose a count. */
const GC_GRACE_MS = 5_000;

/**
 * Fixed-window throttle counters shared by every instance through Redis.
 *
 * Keys are `<prefix>throttle:{<key>}`. The braces are a Redis Cluster hash
 * tag around each counter's own key: every operation touches one key, so no
 * two counters need a common slot, and a shared tag such as `{gh}` would pin
 * every counter of the deployment to one shard. Any companion key a counter
 * may grow (`…{<key>}:prev` for a sliding window) would land beside it.
 *
 * ```ts
 * const counters = new RedisCounterStore({ client: redis, prefix: 'gh:' });
 * const { count, resetAt } = await counters.increment('throttle_anon_203.0.113.7', 60_000);
 * ```
 */
export class RedisCounterStore implements CounterStore {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #clock: Clock;

  constructor(options: { client: RedisClient; prefix?: string; clock?: Clock }) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? 'gh:';
    this.#clock = options.clock ?? systemClock;
  }

  /** The Redis key of a counter, e.g. `gh:throttle:{login_alice}`. */
  keyOf(key: string): string {
    return `${this.#prefix}throttle:{${key}}`;
  }

  async increment(key: string, ttlMs: number): Promise<CounterValue> {
    const now = this.#clock.now();
    const args = [now, now + ttlMs, ttlMs + GC_GRACE_MS];
    const [count, resetAt] = await guardRedis(
      () => this.#run(INCREMENT_SCRIPT, this.keyOf(key), args) as Promise<[number, string]>,
    );
    return { count, resetAt: Number(resetAt) };
  }

  async decrement(key: string, resetAt: number): Promise<boolean> {
    const args = [resetAt, this.#clock.now()];
    return (await guardRedis(() => this.#run(DECREMENT_SCRIPT, this.keyOf(key), args))) === 1;
  }

  async get(key: string): Promise<CounterValue> {
    const now = this.#clock.now();
    const [count, resetAt] = await guardRedis(() => this.#client.hmget(this.keyOf(key), 'c', 'r'));
    // An ended window reads as empty, its reset time "now": nothing is pending (as the memory store).
    if (count === null || resetAt === null || Number(resetAt) <= now) return { count: 0, resetAt: now };
    return { count: Number(count), resetAt: Number(resetAt) };
  }

  async reset(key: string): Promise<void> {
    await guardRedis(() => this.#client.del(this.keyOf(key)));
  }

  /** EVALSHA, falling back to EVAL once after a Redis restart has emptied its script cache. */
  async #run(script: Script, key: string, args: number[]): Promise<unknown> {
    try {
      return await this.#client.evalsha(script.sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return await this.#client.eval(script.source, 1, key, ...args);
    }
  }
}
