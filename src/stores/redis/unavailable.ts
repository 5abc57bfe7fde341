import { StoreUnavailableError } from '../../errors.ts';

/**
 * A single Redis or a Redis Cluster (ioredis's `Redis` or `Cluster`): the
 * commands the stores use, which both speak. Declared by shape rather than
 * imported from ioredis, so the published declarations of
 * `gatehouse-auth/stores/redis` compile under `strict` without `skipLibCheck`
 * (ioredis's own need the untyped `redis-errors`).
 *
 * ```ts
 * const client: RedisClient = new Redis('redis://127.0.0.1:6379');
 * ```
 */
export interface RedisClient {
  readonly status: string;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  del(...keys: string[]): Promise<number>;
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  ping(): Promise<string>;
  quit(): Promise<string>;
  disconnect(reconnect?: boolean): void;
  on(event: string, listener: (...args: string[]) => void): unknown;
  off(event: string, listener: (...args: string[]) => void): unknown;
}

/**
 * Reply errors that mean "this Redis cannot serve right now" (loading its
 * dataset, a busy script, a failover, out of memory), as opposed to "this
 * command was wrong" (WRONGTYPE, a syntax error), which is a bug and stays a 500.
 */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|OOM|NOREPLICAS|MISCONF)\b/;

/**
 * Whether an error from ioredis means Redis is unreachable or not serving.
 * Every error that is not a reply from Redis is about the connection: closed,
 * "Stream isn't writeable" (no offline queue), "Command timed out", retries spent.
 *
 * ```ts
 * isUnavailableError(new Error('Command timed out')); // true
 * ```
 */
export function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return UNAVAILABLE_REPLY.test(error.message);
  return true;
}

/**
 * Runs one Redis call, turning unavailability into `StoreUnavailableError`
 * (rendered as 503: a store that fails never authenticates anyone).
 *
 * ```ts
 * const count = await guardRedis(() => client.hget(key, 'c'));
 * ```
 */
export async function guardRedis<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isUnavailableError(error)) throw error;
    throw new StoreUnavailableError(`redis unavailable: ${(error as Error).message}`, { cause: error });
  }
}
