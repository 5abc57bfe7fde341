import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/internal/clock.ts';
import type { CounterStore } from '../../src/stores/types.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { unique } from './fixture.ts';

/**
 * The CounterStore (throttle counters) contract, run on every backend. The
 * factory receives a fake clock the store must read its windows from.
 *
 * ```ts
 * counterStoreContract('memory', async (clock) => ({ store: new MemoryCounterStore({ clock }), close: async () => {} }));
 * ```
 */
export function counterStoreContract(
  name: string,
  make: (clock: Clock) => Promise<{ store: CounterStore; close(): Promise<void> }>,
): void {
  describe(`CounterStore contract: ${name}`, () => {
    const clock: FakeClock = createFakeClock();
    let counters: CounterStore;
    let close: () => Promise<void>;
    before(async () => ({ store: counters, close } = await make(clock)));
    after(() => close());

    test('an absent key counts zero', async () => {
      assert.equal((await counters.get(unique('k'))).count, 0);
    });

    test('increment counts up within one window that starts at the first increment', async () => {
      const key = unique('k');
      const start = clock.now();
      assert.deepEqual(await counters.increment(key, 60_000), { count: 1, resetAt: start + 60_000 });
      clock.advance(10_000);
      assert.deepEqual(await counters.increment(key, 60_000), { count: 2, resetAt: start + 60_000 });
      assert.deepEqual(await counters.get(key), { count: 2, resetAt: start + 60_000 });
    });

    test('a new window starts once the old one has ended', async () => {
      const key = unique('k');
      const start = clock.now();
      await counters.increment(key, 1_000);
      clock.advance(999);
      assert.equal((await counters.increment(key, 1_000)).count, 2);
      clock.advance(1);
      assert.equal((await counters.get(key)).count, 0);
      assert.deepEqual(await counters.increment(key, 1_000), { count: 1, resetAt: start + 2_000 });
    });

    test('keys count separately', async () => {
      const [a, b] = [unique('a'), unique('b')];
      await counters.increment(a, 60_000);
      await counters.increment(a, 60_000);
      assert.equal((await counters.increment(b, 60_000)).count, 1);
    });

    test('concurrent increments are all counted', async () => {
      const key = unique('k');
      const results = await Promise.all(Array.from({ length: 20 }, () => counters.increment(key, 60_000)));
      assert.deepEqual(
        results.map((r) => r.count).sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    test('issue 8.4: decrement takes one back from the window it was counted in, never below zero', async () => {
      const key = unique('k');
      const { resetAt } = await counters.increment(key, 60_000);
      await counters.increment(key, 60_000);
      assert.equal(await counters.decrement(key, resetAt), true);
      assert.equal((await counters.get(key)).count, 1);
      assert.equal(await counters.decrement(key, resetAt), true);
      assert.equal(await counters.decrement(key, resetAt), false);
      assert.equal((await counters.get(key)).count, 0);
      assert.equal((await counters.increment(key, 60_000)).count, 1, 'the window goes on');
      assert.equal(await counters.decrement(unique('never-set'), resetAt), false);
    });

    test('issue 8.4: decrement does nothing once its window has ended, nor to the window after', async () => {
      const key = unique('k');
      const first = await counters.increment(key, 1_000);
      await counters.increment(key, 1_000);
      clock.advance(1_000);
      assert.equal(await counters.decrement(key, first.resetAt), false);
      const second = await counters.increment(key, 1_000);
      assert.equal(second.count, 1);
      assert.equal(await counters.decrement(key, first.resetAt), false);
      assert.deepEqual(await counters.get(key), second);
    });

    test('issue 8.4: concurrent increments and decrements all count', async () => {
      const key = unique('k');
      const { resetAt } = await counters.increment(key, 60_000);
      const ops = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0 ? counters.decrement(key, resetAt) : counters.increment(key, 60_000),
      );
      const results = await Promise.all(ops);
      const taken = results.filter((r) => r === true).length;
      assert.equal((await counters.get(key)).count, 1 + 20 - taken);
      assert.ok(taken <= 10);
    });

    test('reset clears the count', async () => {
      const key = unique('k');
      await counters.increment(key, 60_000);
      await counters.reset(key);
      assert.equal((await counters.get(key)).count, 0);
      assert.equal((await counters.increment(key, 60_000)).count, 1);
      await counters.reset(unique('never-set'));
    });
  });
}
