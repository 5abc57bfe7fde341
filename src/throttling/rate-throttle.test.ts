import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.ts';
import { createMemoryStores } from '../stores/memory/index.ts';
import type { CounterStore, User } from '../stores/types.ts';
import { createFakeClock, type FakeClock, makeContext, makeRequest, makeUser } from '../testing/index.ts';
import type { RequestContext, Throttle, ThrottleDecision } from '../types.ts';
import { AnonRateThrottle, ScopedRateThrottle, UserRateThrottle } from './rate-throttle.ts';

// DRF's tests/test_throttling.py, ported onto a memory CounterStore and a fake clock.

/** A request from `clientAddress`: the anonymous throttles key on it. */
const context = (user: User | null, clientAddress = '3.3.3.3') =>
  makeContext(user, makeRequest('GET', {}, undefined, { clientAddress }));

function setup(): { clock: FakeClock; counters: CounterStore } {
  const clock = createFakeClock(0);
  return { clock, counters: createMemoryStores({ clock }).counters };
}

/** What a view with these throttles answers: DRF's check_throttles (all consulted, max wait). */
async function hit(
  throttles: Throttle[],
  ctx: RequestContext,
): Promise<{ status: number; retryAfter?: number | null }> {
  const decisions: ThrottleDecision[] = [];
  for (const throttle of throttles) decisions.push(await throttle.allow(ctx));
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length === 0) return { status: 200 };
  const waits = refused.map((d) => (d.allowed ? null : d.wait)).filter((w): w is number => w !== null);
  return { status: 429, retryAfter: waits.length ? Math.max(...waits) : null };
}

const SECOND = 1000;

test('test_requests_are_throttled: the fourth request in a second at 3/sec is refused', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/sec', counters, clock });
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await hit([throttle], context(null))).status);
  assert.deepEqual(results, [200, 200, 200, 429]);
});

test('test_request_throttling_expires: one second later the client may go on', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/sec', counters, clock });
  for (let i = 0; i < 4; i++) await hit([throttle], context(null));
  clock.advance(SECOND);
  assert.equal((await hit([throttle], context(null))).status, 200);
});

test('test_request_throttling_is_per_user: another user is not throttled', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/sec', counters, clock });
  for (let i = 0; i < 3; i++) await hit([throttle], context(makeUser({ id: 1 })));
  assert.equal((await hit([throttle], context(makeUser({ id: 2 })))).status, 200);
  assert.equal((await hit([throttle], context(makeUser({ id: 1 })))).status, 429);
});

test('test_request_throttling_multiple_throttles: 3/sec + 6/min gives Retry-After 1, then 59, then 58', async () => {
  const { clock, counters } = setup();
  const throttles = [
    new ScopedRateThrottle({ scope: 'seconds', rate: '3/sec', counters, clock }),
    new ScopedRateThrottle({ scope: 'minutes', rate: '6/min', counters, clock }),
  ];
  let last = { status: 0 } as Awaited<ReturnType<typeof hit>>;
  for (let i = 0; i < 4; i++) last = await hit(throttles, context(null));
  assert.deepEqual(last, { status: 429, retryAfter: 1 });

  clock.advance(SECOND);
  for (let i = 0; i < 2; i++) assert.equal((await hit(throttles, context(null))).status, 200);
  assert.deepEqual(await hit(throttles, context(null)), { status: 429, retryAfter: 59 });

  clock.advance(SECOND);
  assert.deepEqual(await hit(throttles, context(null)), { status: 429, retryAfter: 58 });
});

test('test_throttle_rate_change_negative: 24 requests at t=0 under 3/sec + 6/min → Retry-After 60', async () => {
  const { clock, counters } = setup();
  const throttles = [
    new ScopedRateThrottle({ scope: 'seconds', rate: '3/sec', counters, clock }),
    new ScopedRateThrottle({ scope: 'minutes', rate: '6/min', counters, clock }),
  ];
  let last = { status: 0 } as Awaited<ReturnType<typeof hit>>;
  for (let i = 0; i < 24; i++) last = await hit(throttles, context(null));
  assert.deepEqual(last, { status: 429, retryAfter: 60 });
});

test('test_seconds_fields: 3/sec → no wait, no wait, no wait, then Retry-After 1', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/sec', counters, clock });
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await hit([throttle], context(null))).retryAfter);
  assert.deepEqual(results, [undefined, undefined, undefined, 1]);
});

test('test_minutes_fields: 3/min → Retry-After 60 on the fourth request', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/min', counters, clock });
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await hit([throttle], context(null))).retryAfter);
  assert.deepEqual(results, [undefined, undefined, undefined, 60]);
});

test('test_next_rate_remains_constant_if_followed: 3/min at t=0, 20, 40, 60, 80 is never throttled', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/min', counters, clock });
  for (const t of [0, 20, 40, 60, 80]) {
    clock.advance(t * SECOND - clock.now());
    assert.equal((await hit([throttle], context(null))).status, 200, `t=${t}`);
  }
});

test('the wait counts down with the clock and never reads 0', async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '1/min', counters, clock });
  await throttle.allow(context(null));
  clock.advance(20_500);
  assert.deepEqual(await throttle.allow(context(null)), { allowed: false, wait: 40 });
  clock.advance(39_499);
  assert.deepEqual(await throttle.allow(context(null)), { allowed: false, wait: 1 });
});

// DRF keeps a sliding log of timestamps per key (read, append, write back: not atomic). Gatehouse counts
// a fixed window from the key's first request with one atomic increment, so instances sharing Redis
// count together and a concurrent burst cannot overrun the limit; docs/http-api.md#throttling says so.
test("a fixed window from the first request, not DRF's sliding log: 3/min at t=0, 30, 31 fills it; t=60 opens the next", async () => {
  const { clock, counters } = setup();
  const throttle = new UserRateThrottle({ rate: '3/min', counters, clock });
  const at = async (t: number) => {
    clock.advance(t * SECOND - clock.now());
    return hit([throttle], context(null));
  };
  for (const t of [0, 30, 31]) assert.deepEqual(await at(t), { status: 200 }, `t=${t}`);
  assert.deepEqual(
    await at(45),
    { status: 429, retryAfter: 15 },
    'the window ends 60 s after its first request',
  );
  // DRF would refuse t=61 and t=62 (its log still holds 30 and 31) until t=90.
  for (const t of [60, 61, 62]) assert.deepEqual(await at(t), { status: 200 }, `t=${t}`);
  assert.deepEqual(await at(63), { status: 429, retryAfter: 57 });
});

test('ScopedRateThrottleTests: scopes x (3/min) and y (1/min) count apart and reset after the minute', async () => {
  const { clock, counters } = setup();
  const x = new ScopedRateThrottle({ scope: 'x', rate: '3/min', counters, clock });
  const y = new ScopedRateThrottle({ scope: 'y', rate: '1/min', counters, clock });
  const round = async () => {
    const seen = [];
    for (let i = 0; i < 4; i++) {
      seen.push((await hit([x], context(null))).status);
      clock.advance(SECOND);
    }
    for (let i = 0; i < 2; i++) {
      seen.push((await hit([y], context(null))).status);
      clock.advance(SECOND);
    }
    return seen;
  };
  assert.deepEqual(await round(), [200, 200, 200, 429, 200, 429]);
  clock.advance(55 * SECOND);
  assert.deepEqual(await round(), [200, 200, 200, 429, 200, 429]);
});

test('cache keys follow DRF: throttle_anon_<ip>, throttle_user_<id>, throttle_<scope>_<ident>', () => {
  const { counters } = setup();
  const anon = new AnonRateThrottle({ rate: '3/min', counters });
  const user = new UserRateThrottle({ rate: '3/min', counters });
  const scoped = new ScopedRateThrottle({ scope: 'uploads', rate: '3/min', counters });
  assert.equal(anon.key(context(null, '127.0.0.1')), 'throttle_anon_127.0.0.1');
  assert.equal(user.key(context(makeUser({ id: 1 }))), 'throttle_user_1');
  assert.equal(user.key(context(null, '127.0.0.1')), 'throttle_user_127.0.0.1');
  assert.equal(scoped.key(context(makeUser({ id: 1 }))), 'throttle_uploads_1');
  assert.equal(scoped.key(context(null, '127.0.0.1')), 'throttle_uploads_127.0.0.1');
});

test('AnonRateThrottle: an authenticated user is not affected', async () => {
  const { clock, counters } = setup();
  const throttle = new AnonRateThrottle({ rate: '1/min', counters, clock });
  assert.equal(throttle.key(context(makeUser({ id: 1 }))), null);
  for (let i = 0; i < 5; i++)
    assert.deepEqual(await throttle.allow(context(makeUser({ id: 1 }))), { allowed: true });
});

test('AnonRateThrottle: the fourth anonymous request at 3/min → Retry-After 60; another address is fine', async () => {
  const { clock, counters } = setup();
  const throttle = new AnonRateThrottle({ rate: '3/min', counters, clock });
  for (let i = 0; i < 3; i++)
    assert.deepEqual(await throttle.allow(context(null, '192.0.2.1')), { allowed: true });
  assert.deepEqual(await throttle.allow(context(null, '192.0.2.1')), { allowed: false, wait: 60 });
  assert.deepEqual(await throttle.allow(context(null, '192.0.2.2')), { allowed: true });
});

test('AUTH-05 for rate throttles: textual variants of one IPv6 address, and one /64, share a bucket', async () => {
  const { clock, counters } = setup();
  for (const throttle of [
    new AnonRateThrottle({ rate: '2/min', counters, clock }),
    new UserRateThrottle({ rate: '2/min', counters, clock }),
    new ScopedRateThrottle({ scope: 'uploads', rate: '2/min', counters, clock }),
  ]) {
    await throttle.allow(context(null, '2001:db8:1:2::a'));
    await throttle.allow(context(null, '2001:DB8:1:2:0:0:0:A'));
    assert.equal(
      (await throttle.allow(context(null, '2001:db8:1:2::ffff'))).allowed,
      false,
      throttle.constructor.name,
    );
    assert.equal(
      (await throttle.allow(context(null, '2001:db8:1:3::a'))).allowed,
      true,
      throttle.constructor.name,
    );
  }
});

test('AUTH-05 for rate throttles: an IPv4-mapped address shares the IPv4 bucket', async () => {
  const { clock, counters } = setup();
  const throttle = new AnonRateThrottle({ rate: '1/min', counters, clock });
  await throttle.allow(context(null, '192.0.2.1'));
  assert.equal((await throttle.allow(context(null, '::FFFF:c000:201'))).allowed, false);
  assert.equal(throttle.key(context(null, '2001:db8:1:2::a')), 'throttle_anon_2001:db8:1:2::/64');
});

test('an invalid rate is refused when the throttle is built', () => {
  const { counters } = setup();
  assert.throws(() => new UserRateThrottle({ rate: '10/5m', counters }), ConfigurationError);
});

test('every request is counted by one atomic increment on the shared store', async () => {
  const { clock, counters } = setup();
  const a = new UserRateThrottle({ rate: '2/min', counters, clock });
  const b = new UserRateThrottle({ rate: '2/min', counters, clock });
  // Two instances (two processes sharing Redis) count together.
  assert.equal((await a.allow(context(makeUser({ id: 1 })))).allowed, true);
  assert.equal((await b.allow(context(makeUser({ id: 1 })))).allowed, true);
  assert.equal((await a.allow(context(makeUser({ id: 1 })))).allowed, false);
});
