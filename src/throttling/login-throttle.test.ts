import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Throttled } from '../errors.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import type { CounterStore } from '../stores/types.ts';
import { createFakeClock, type FakeClock } from '../testing/index.ts';
import { LoginThrottle } from './login-throttle.ts';

function setup(options: { accountRate?: string; addressRate?: string } = {}): {
  clock: FakeClock;
  throttle: LoginThrottle;
} {
  const clock = createFakeClock(0);
  const { counters } = createMemoryStores({ clock });
  return { clock, throttle: new LoginThrottle({ counters, clock, ...options }) };
}

/** A fresh address for every call, as an attacker rotating through a botnet. */
let next = 1;
function rotatingAddress(): string {
  next++;
  return `198.51.${(next >> 8) & 255}.${next & 255}`;
}

async function throttledWith(promise: Promise<unknown>): Promise<Throttled> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Throttled, `expected Throttled, got ${error}`);
    return error;
  }
  assert.fail('the attempt was not throttled');
}

/** A failed attempt: counted by begin, and never taken back. */
async function fail(throttle: LoginThrottle, username: string, address: string): Promise<void> {
  await throttle.begin(username, address);
}

/** A successful attempt: counted, judged right, taken back. */
async function succeed(throttle: LoginThrottle, username: string, address: string): Promise<void> {
  await (await throttle.begin(username, address)).succeeded();
}

test('AUTH-04: after 5 failures on an account the next attempt is throttled, whatever the address', async () => {
  const { throttle } = setup();
  for (let i = 0; i < 5; i++) await fail(throttle, 'alice', rotatingAddress());
  // The attempt is refused before the password is looked at: the right password gets the same 429.
  const error = await throttledWith(throttle.begin('alice', rotatingAddress()));
  assert.equal(error.status, 429);
  assert.deepEqual(error.body, { detail: 'Request was throttled. Expected available in 60 seconds.' });
  assert.deepEqual(error.headers, { 'retry-after': '60' });
});

test('AUTH-04: four failures are not yet a lockout', async () => {
  const { throttle } = setup();
  for (let i = 0; i < 4; i++) await fail(throttle, 'alice', rotatingAddress());
  await throttle.begin('alice', rotatingAddress());
});

test('AUTH-04: another account is unaffected by the lockout of the first', async () => {
  const { throttle } = setup();
  const address = rotatingAddress();
  for (let i = 0; i < 5; i++) await fail(throttle, 'alice', rotatingAddress());
  await throttledWith(throttle.begin('alice', address));
  await throttle.begin('bob', address);
});

test('AUTH-04: the account bucket does not fold case (Django usernames are case-sensitive) but does NFKC', async () => {
  const { throttle } = setup({ accountRate: '1/min' });
  await fail(throttle, 'ﬁona', rotatingAddress()); // U+FB01 LATIN SMALL LIGATURE FI
  await throttledWith(throttle.begin('fiona', rotatingAddress()));
  await throttle.begin('Fiona', rotatingAddress());
});

test('AUTH-04: the lockout ends with its window (fake clock), and the counter starts over', async () => {
  const { clock, throttle } = setup();
  for (let i = 0; i < 5; i++) await fail(throttle, 'alice', rotatingAddress());
  clock.advance(20_000);
  const error = await throttledWith(throttle.begin('alice', rotatingAddress()));
  assert.deepEqual(error.headers, { 'retry-after': '40' });
  clock.advance(40_000);
  await fail(throttle, 'alice', rotatingAddress());
  await throttle.begin('alice', rotatingAddress());
});

test('AUTH-06: advancing the clock by Retry-After lets the next attempt through', async () => {
  const { clock, throttle } = setup({ accountRate: '3/min' });
  for (let i = 0; i < 3; i++) await fail(throttle, 'alice', rotatingAddress());
  clock.advance(12_345);
  const error = await throttledWith(throttle.begin('alice', rotatingAddress()));
  const retryAfter = Number(error.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0);
  assert.equal(retryAfter, 48, 'the window ends 47.655 s later: rounded up');
  clock.advance((retryAfter - 1) * 1000);
  await throttledWith(throttle.begin('alice', rotatingAddress()));
  clock.advance(1000);
  await throttle.begin('alice', rotatingAddress());
});

test('AUTH-05: one address trying many accounts is throttled after the address limit', async () => {
  const { throttle } = setup({ addressRate: '20/min' });
  const address = '203.0.113.9';
  for (let i = 0; i < 20; i++) await fail(throttle, `user${i}`, address);
  await throttledWith(throttle.begin('user-200', address));
  await throttle.begin('user-200', '203.0.113.10');
});

test('AUTH-05: ::ffff:192.0.2.1, ::FFFF:c000:201 and 192.0.2.1 share one bucket', async () => {
  const { throttle } = setup({ addressRate: '3/min' });
  await fail(throttle, 'a', '::ffff:192.0.2.1');
  await fail(throttle, 'b', '::FFFF:c000:201');
  await fail(throttle, 'c', '192.0.2.1');
  for (const variant of ['192.0.2.1', '::ffff:192.0.2.1', '::FFFF:c000:201', '0:0:0:0:0:ffff:c000:0201']) {
    await throttledWith(throttle.begin('d', variant));
  }
  await throttle.begin('d', '192.0.2.2');
});

test('AUTH-05: every address of one /64 shares a bucket; the next /64 does not', async () => {
  const { throttle } = setup({ addressRate: '3/min' });
  await fail(throttle, 'a', '2001:db8:1:2::a');
  await fail(throttle, 'b', '2001:db8:1:2:ffff:ffff:ffff:ffff');
  await fail(throttle, 'c', '2001:DB8:0001:0002:0:0:0:FFFF');
  for (const inside of [
    '2001:db8:1:2::ffff',
    '2001:db8:1:2::1',
    '[2001:db8:1:2::b]',
    '2001:db8:1:2::a%eth0',
  ]) {
    await throttledWith(throttle.begin('d', inside));
  }
  await throttle.begin('d', '2001:db8:1:3::a');
});

test('only failures count: successful attempts are taken back from both buckets', async () => {
  const { throttle } = setup({ accountRate: '1/min', addressRate: '1/min' });
  for (let i = 0; i < 50; i++) await succeed(throttle, 'alice', '203.0.113.9');
  await fail(throttle, 'alice', '203.0.113.9');
  await throttledWith(throttle.begin('alice', '203.0.113.9'));
});

test('refused attempts are not counted: the lockout lasts its window, not longer', async () => {
  const { clock, throttle } = setup({ accountRate: '2/min', addressRate: '100/min' });
  await fail(throttle, 'alice', '203.0.113.9');
  await fail(throttle, 'alice', '203.0.113.9');
  for (let i = 0; i < 30; i++) await throttledWith(throttle.begin('alice', '203.0.113.9'));
  clock.advance(60_000);
  await fail(throttle, 'alice', '203.0.113.9');
  await throttle.begin('alice', '203.0.113.9');
});

test('a refusal by one bucket takes the attempt back from the other too', async () => {
  const { throttle } = setup({ accountRate: '1/min', addressRate: '3/min' });
  const address = '203.0.113.9';
  await fail(throttle, 'alice', address);
  for (let i = 0; i < 10; i++) await throttledWith(throttle.begin('alice', address));
  // Only alice's one failure is in the address bucket: two more accounts may still be tried.
  await fail(throttle, 'bob', address);
  await fail(throttle, 'carol', address);
  await throttledWith(throttle.begin('dave', address));
});

test('issue 8.4: of 50 attempts begun at once, exactly the limit are let through', async () => {
  const { throttle } = setup({ accountRate: '5/min', addressRate: '100/min' });
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, () => throttle.begin('alice', rotatingAddress())),
  );
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
  for (const r of results) {
    if (r.status === 'rejected') assert.ok(r.reason instanceof Throttled);
  }
});

test('succeeded() takes the attempt back once, however often it is called', async () => {
  const { throttle } = setup({ accountRate: '2/min', addressRate: '100/min' });
  await fail(throttle, 'alice', '203.0.113.9');
  const attempt = await throttle.begin('alice', '203.0.113.9');
  await attempt.succeeded();
  await attempt.succeeded();
  await fail(throttle, 'alice', '203.0.113.9');
  await throttledWith(throttle.begin('alice', '203.0.113.9'));
});

test('when both buckets are full the longer wait is reported', async () => {
  const { clock, throttle } = setup({ accountRate: '1/min', addressRate: '1/hour' });
  await fail(throttle, 'alice', '203.0.113.9');
  clock.advance(10_000);
  const error = await throttledWith(throttle.begin('alice', '203.0.113.9'));
  assert.deepEqual(error.headers, { 'retry-after': '3590' });
});

test('usernames are never stored in clear in counter keys', async () => {
  const keys: string[] = [];
  const clock = createFakeClock(0);
  const { counters } = createMemoryStores({ clock });
  const spying: CounterStore = {
    increment(key, ttl) {
      keys.push(key);
      return counters.increment(key, ttl);
    },
    decrement(key, resetAt) {
      keys.push(key);
      return counters.decrement(key, resetAt);
    },
    get(key) {
      keys.push(key);
      return counters.get(key);
    },
    reset: (key) => counters.reset(key),
  };
  const throttle = new LoginThrottle({ counters: spying, clock });
  await succeed(throttle, 'alice@example.com', '192.0.2.1');
  await fail(throttle, 'alice@example.com', '192.0.2.1');
  assert.ok(keys.length > 0);
  for (const key of keys) assert.ok(!key.includes('alice'), key);
});
