import type { Stores } from '../stores/types.ts';

/**
 * Stores whose users, sessions and tokens count their calls, as
 * `calls['sessions.getByKeyHash']`: proof that a cache hit costs no durable read.
 *
 * ```ts
 * const { stores, calls } = countCalls(createMemoryStores());
 * ```
 */
export function countCalls(stores: Stores): { stores: Stores; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrap = <S extends object>(name: string, store: S): S =>
    new Proxy(store, {
      get(target, method) {
        const value = Reflect.get(target, method);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const key = `${name}.${String(method)}`;
          calls[key] = (calls[key] ?? 0) + 1;
          return value.apply(target, args);
        };
      },
    });
  const { users, sessions, tokens } = stores;
  return {
    stores: {
      ...stores,
      users: wrap('users', users),
      sessions: wrap('sessions', sessions),
      tokens: wrap('tokens', tokens),
    },
    calls,
  };
}
